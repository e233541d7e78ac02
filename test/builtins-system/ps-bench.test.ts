// Benchmark: `ps -ef` as a built-in against procps `ps -ef` run as an external through
// the same breakglass shell, end to end over SSH, with 1,000 extra processes alive.
// Prints the medians. The target is 1.0x; measured alone on the two-core machine it is
// 1.0-1.2x, but beside other test files both sides are starved unevenly (the daemon's
// thread-pool hops suffer most), so the assertion only catches clear regressions (2x).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

const EXTRA = 1000;
const RUNS = 5;
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

async function timed(command: string): Promise<{ ms: number; lines: number }> {
  const started = performance.now();
  const r = await server.ssh(command, { timeoutMs: 60_000 });
  expect(r.code, r.stderr).toBe(0);
  return { ms: performance.now() - started, lines: r.stdout.toString().split('\n').length };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('ps performance', () => {
  it(`ps -ef with ${EXTRA} extra processes keeps up with procps ps -ef`, async () => {
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const a = await timed('ps -ef');
      const b = await timed('/usr/bin/ps -ef');
      expect(a.lines).toBeGreaterThan(EXTRA);
      expect(Math.abs(a.lines - b.lines)).toBeLessThan(20);
      ours.push(a.ms);
      theirs.push(b.ms);
    }
    // The same without the output path (the shell's stdout → SSH channel), which both share.
    const oursQuiet: number[] = [];
    const theirsQuiet: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      oursQuiet.push((await timed('ps -ef > /dev/null')).ms);
      theirsQuiet.push((await timed('/usr/bin/ps -ef > /dev/null')).ms);
    }
    const ratio = median(ours) / median(theirs);
    console.log(
      `ps -ef over ssh, ${EXTRA} extra processes: built-in ${median(ours).toFixed(0)} ms, procps ${median(theirs).toFixed(0)} ms, ratio ${ratio.toFixed(2)}x; ` +
        `to /dev/null: built-in ${median(oursQuiet).toFixed(0)} ms, procps ${median(theirsQuiet).toFixed(0)} ms, ratio ${(median(oursQuiet) / median(theirsQuiet)).toFixed(2)}x`,
    );
    expect(ratio).toBeLessThan(2);
  }, 180_000);
});
