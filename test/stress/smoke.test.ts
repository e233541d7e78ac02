// Smoke run of `npm run stress` (stress/run.mjs --smoke) so the reliability suite does
// not rot: each category in its short form (seconds each) against a real breakglassd
// on loopback with real OpenSSH clients. No timing is asserted, only the suite's own
// checks and that each category measured what it claims.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, run } from '../helpers/server.js';

interface Check {
  label: string;
  ok: boolean;
  detail: string;
}
interface CategoryResult {
  id: string;
  figures: { label: string; value: string }[];
  checks: Check[];
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stress-smoke-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs one category in smoke mode; returns its result and the run's stderr. */
async function smoke(category: string): Promise<{ r: CategoryResult; code: number | null; stderr: string }> {
  const json = join(dir, `${category}.json`);
  const res = await run(process.execPath, [join(REPO, 'stress', 'run.mjs'), '--smoke', '--only', category, '--seed', '7', '--json', json], { timeoutMs: 80_000 });
  const parsed = JSON.parse(await readFile(json, 'utf8').catch(() => '{"results":[]}')) as { results: CategoryResult[] };
  const r = parsed.results[0] ?? { id: category, figures: [], checks: [] };
  return { r, code: res.code, stderr: res.stderr };
}

const failed = (r: CategoryResult): string[] => r.checks.filter((c) => !c.ok).map((c) => `${c.label}: ${c.detail}`);
const figure = (r: CategoryResult, pattern: RegExp): string | undefined => r.figures.find((f) => pattern.test(f.label))?.value;

describe('stress suite, smoke run', () => {
  it('load: a few shells, transfers and logins pass every check', async () => {
    const { r, code, stderr } = await smoke('load');
    expect(failed(r), stderr).toEqual([]);
    expect(r.checks.length).toBeGreaterThanOrEqual(5);
    expect(code, stderr).toBe(0);
  }, 90_000);

  it('abuse: silent connections, slow banners, junk and malformed packets; a legitimate login still succeeds', async () => {
    const { r, code, stderr } = await smoke('abuse');
    expect(failed(r), stderr).toEqual([]);
    expect(r.checks.find((c) => /every legitimate login/.test(c.label))?.ok).toBe(true);
    expect(figure(r, /^20 silent connections/)).toMatch(/\d+ (evicted|refused|login-timeout)/);
    expect(figure(r, /^legitimate login 1 of 1/)).toMatch(/^login \d+ ms \+ echo ok \d+ ms$/);
    expect(r.figures.filter((f) => f.label.startsWith('malformed: ')).length).toBeGreaterThanOrEqual(5);
    expect(code, stderr).toBe(0);
  }, 90_000);

  it('faults: a client killed mid SFTP upload into the toolbox leaves the toolbox unchanged', async () => {
    const { r, code, stderr } = await smoke('faults');
    expect(failed(r), stderr).toEqual([]);
    expect(r.checks.find((c) => /mid SFTP upload of a tar/.test(c.label))?.detail).toMatch(/toolbox unchanged/);
    expect(code, stderr).toBe(0);
  }, 90_000);

  it('fuzz: every seeded target tries inputs and the daemon survives them', async () => {
    const { r, code, stderr } = await smoke('fuzz');
    expect(failed(r), stderr).toEqual([]);
    const tried = r.figures.filter((f) => f.label.endsWith(': inputs tried')).map((f) => Number(f.value));
    expect(tried.length).toBeGreaterThanOrEqual(5);
    for (const n of tried) expect(n).toBeGreaterThan(0);
    expect(code, stderr).toBe(0);
  }, 90_000);
});
