// `netstat -tan` with 2,000 open sockets lists every one of them, as iproute2's
// `ss -tan` does. Timing is the benchmark's business (bench/, BENCHMARKS.md): tests
// make no timing assertions.
import { spawn } from 'node:child_process';
import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeContext } from '../helpers/builtin-ctx.js';
import { netstat } from '../../src/shell/builtins/netstat.js';

const PAIRS = 1000; // 2,000 sockets: both ends of 1,000 loopback connections

function runSs(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('ss', ['-tan'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let lines = 0;
    child.stdout.on('data', (c: Buffer) => {
      for (const b of c) if (b === 10) lines++;
    });
    child.on('error', reject);
    child.on('close', () => resolve(lines));
  });
}

async function runNetstat(): Promise<number> {
  const t = makeContext();
  const sink = new PassThrough();
  let lines = 0;
  sink.on('data', (c: Buffer) => {
    for (const b of c) if (b === 10) lines++;
  });
  const ctx = { ...t.ctx, stdout: sink };
  await netstat.run(['-tan'], ctx);
  return lines;
}

describe('netstat -tan with 2,000 sockets', () => {
  let server: Server;
  const sockets: Socket[] = [];
  let haveSs = true;
  beforeAll(async () => {
    server = createServer((s) => {
      s.on('error', () => undefined);
      sockets.push(s);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    for (let i = 0; i < PAIRS; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, () => new Promise<void>((r, j) => {
          const c = connect(port, '127.0.0.1', () => r());
          c.on('error', j);
          sockets.push(c);
        })),
      );
    }
    haveSs = await runSs().then(() => true, () => false);
  }, 60_000);
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  it('lists all of them, as ss -tan does', async (t) => {
    if (!haveSs) return t.skip();
    const [ours, theirs] = await Promise.all([runNetstat(), runSs()]);
    // Both print one header line (netstat two) plus a row per socket; other tests'
    // sockets may come and go in between, hence the small tolerance.
    expect(ours).toBeGreaterThanOrEqual(2 * PAIRS);
    expect(Math.abs(ours - theirs)).toBeLessThan(50);
  }, 60_000);
});
