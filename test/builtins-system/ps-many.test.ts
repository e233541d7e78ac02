// `ps -ef` over SSH with 1,000 extra processes alive lists them all, as procps `ps -ef`
// (run as an external through the same breakglass shell) does. Timing is the
// benchmark's business (bench/, BENCHMARKS.md): tests make no timing assertions.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

const EXTRA = 1000;
let server: TestServer;
const sleepers: ChildProcess[] = [];

beforeAll(async () => {
  server = await startServer();
  for (let i = 0; i < EXTRA; i++) sleepers.push(spawn('sleep', ['300'], { stdio: 'ignore' }));
  await new Promise((r) => setTimeout(r, 500));
}, 120_000);

afterAll(async () => {
  for (const child of sleepers) child.kill('SIGKILL');
  await Promise.all(sleepers.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
  await server?.stop();
});

async function psLines(command: string): Promise<string[]> {
  const r = await server.ssh(command, { timeoutMs: 60_000 });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.toString().trimEnd().split('\n');
}

describe('ps with many processes', () => {
  it(`ps -ef lists all ${EXTRA} extra processes, as procps does`, async () => {
    const [ours, theirs] = [await psLines('ps -ef'), await psLines('/usr/bin/ps -ef')];
    const sleeperPids = new Set(sleepers.map((c) => String(c.pid)));
    const listed = (lines: string[]): number => lines.filter((l) => sleeperPids.has(l.trim().split(/\s+/)[1]!)).length;
    expect(listed(ours)).toBe(EXTRA);
    expect(listed(theirs)).toBe(EXTRA);
    expect(Math.abs(ours.length - theirs.length)).toBeLessThan(20);
  }, 180_000);
});
