// A slow file system blocks only the session using it, end to end: two SSH sessions of
// one breakglassd, where the first opens a redirect from a FIFO nobody writes yet. That
// open(2) does not return until a writer comes — like a stat on a hung NFS mount. Done
// synchronously it would freeze the daemon's one event loop and every session with it;
// through the asynchronous handler only the first session waits.
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, startServer, waitFor } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('a stalled open in one session', () => {
  it('leaves another session of the same daemon running; it completes once released', async () => {
    const fifo = join(server.dir, 'stall.fifo');
    expect((await run('mkfifo', [fifo])).code).toBe(0);
    const slow = spawn('ssh', [...server.sshOptions(), '-p', String(server.port), 'root@127.0.0.1', `echo started; cat < ${fifo}; echo done`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    slow.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((r) => slow.on('close', (code) => r(code)));
    try {
      // After `started` the shell goes straight on to open the FIFO, and waits there.
      await waitFor(() => out, /started\n/, 20_000);

      const other = await server.ssh('echo other; ls / > /dev/null && echo listed', { timeoutMs: 15_000 });
      expect(other.stdout.toString()).toBe('other\nlisted\n');
      expect(other.code).toBe(0);
      expect(out).toBe('started\n');

      const writer = await open(fifo, 'w');
      await writer.write('released\n');
      await writer.close();
      expect(await exited).toBe(0);
      expect(out).toBe('started\nreleased\ndone\n');
    } finally {
      // On failure: release a daemon stuck in open(2) (non-blocking: no reader, no wait).
      await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).then((w) => w.close(), () => undefined);
      slow.kill();
    }
  });
});
