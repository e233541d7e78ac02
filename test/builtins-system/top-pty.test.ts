// top on a terminal over ssh -tt: draws in place and quits on q.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

it('top on a pty redraws the screen and q quits', async () => {
  const started = Date.now();
  const r = await server.ssh('top -d 1', { input: 'q', extraArgs: ['-tt'], timeoutMs: 15_000 });
  const screen = r.stdout.toString();
  expect(r.code).toBe(0);
  expect(screen).toContain('\x1b[H');
  expect(screen).not.toContain('\r\r\n');
  expect(screen).toMatch(/top - \d\d:\d\d:\d\d up /);
  expect(screen).toMatch(/PID USER +PR +NI +VIRT +RES +SHR S +%CPU +%MEM +TIME\+ COMMAND/);
  expect(Date.now() - started).toBeLessThan(10_000);
});
