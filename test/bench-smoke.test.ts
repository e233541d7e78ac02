// Smoke run of `npm run bench` (bench/run.mjs) so the benchmark does not rot: a quick
// run (two iterations, tiny files) of the connect and toolbox sections against all three
// servers, written to a temp file. No timing is asserted; only that the report and the
// raw samples come out with a figure (or an honest reason) for every server.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, run } from './helpers/server.js';

const missing = ['/usr/sbin/sshd', '/usr/sbin/dropbear', '/usr/bin/unshare'].filter((path) => !existsSync(path));

interface ColumnJson {
  error?: string;
  median?: number;
  samples?: number[];
}
interface ReportJson {
  sections: { id: string; rows: { label: string; columns: Record<string, ColumnJson> }[] }[];
}

describe.skipIf(missing.length > 0)(`bench smoke run${missing.length ? ` (skipped: ${missing.join(', ')} not installed; apt-get install openssh-server dropbear-bin)` : ''}`, () => {
  let dir: string;
  let result: Awaited<ReturnType<typeof run>>;
  let report: string;
  let json: ReportJson;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-smoke-'));
    result = await run(process.execPath, [
      join(REPO, 'bench', 'run.mjs'),
      '--quick', '--no-install', '--only', 'connect,toolbox', '--time-limit', '50',
      '--out', join(dir, 'BENCHMARKS.md'), '--json', join(dir, 'bench.json'),
    ], { timeoutMs: 60_000 });
    report = existsSync(join(dir, 'BENCHMARKS.md')) ? await readFile(join(dir, 'BENCHMARKS.md'), 'utf8') : '';
    json = existsSync(join(dir, 'bench.json')) ? (JSON.parse(await readFile(join(dir, 'bench.json'), 'utf8')) as ReportJson) : { sections: [] };
  }, 70_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 and writes a report with the machine, the options and the sections', () => {
    expect(result.stderr).toMatch(/wrote .*BENCHMARKS\.md/);
    expect(result.code).toBe(0);
    expect(report).toMatch(/^# Benchmarks: breakglassd against OpenSSH sshd and Dropbear/);
    expect(report).toMatch(/CPU: .+, \d+ cores/);
    expect(report).toContain('OPTS="-F none');
    expect(report).toContain('## Connect + authenticate + exec');
    expect(report).toMatch(/## Toolbox extraction/);
  });

  it('has a figure from each peer for every connect and toolbox row', () => {
    const rows = json.sections.flatMap((section) => section.rows.map((row) => ({ section: section.id, ...row })));
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) {
      for (const peer of ['openssh', 'dropbear']) {
        expect(row.columns[peer]?.error, `${row.section} ${row.label} ${peer}`).toBeUndefined();
        expect(row.columns[peer]?.samples?.length, `${row.section} ${row.label} ${peer}`).toBeGreaterThanOrEqual(1);
      }
    }
    const local = rows.find((row) => row.section === 'toolbox')?.columns.local;
    expect(local?.samples?.length).toBeGreaterThanOrEqual(1);
  });

  it('measures breakglassd connect + exec, or names why not', () => {
    const connect = json.sections.find((section) => section.id === 'connect');
    for (const row of connect?.rows ?? []) {
      const column = row.columns.breakglassd;
      expect(column, row.label).toBeDefined();
      expect(column?.samples?.length ?? 0, `${row.label}: ${column?.error ?? ''}`).toBeGreaterThanOrEqual(1);
    }
  });

  it('leaves no server or helper running and no temp dir behind', async () => {
    const workspace = result.stderr.match(/bench: workspace (\S+) (\S+)/);
    expect(workspace).not.toBeNull();
    const dirs = [workspace![1]!, workspace![2]!];
    for (const path of dirs) expect(existsSync(path), path).toBe(false);
    const ps = await run('ps', ['-eo', 'args']);
    for (const path of dirs) expect(ps.stdout.toString()).not.toContain(path);
  });
});
