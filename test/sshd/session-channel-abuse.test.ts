// Session channels that never become a shell, and pty requests with unusual terminal
// modes: the daemon keeps serving. Both ended breakglassd itself before the ssh2 patches
// named below (an "internal error" and exit, closing the door for everyone):
//  - ssh2 tells a session channel that has no shell/exec yet from a running one by its
//    class name, 'Session'; the bundle renames that class (Session2), so closing such a
//    connection threw a TypeError outside any handler;
//  - ssh2 read the pty-req's terminal modes one byte late and looked opcodes up in a
//    table keyed by name, so any mode value of 2^24 or more made the request malformed,
//    and that dropped connection hit the bug above.
import { readFileSync } from 'node:fs';
import { Client } from 'ssh2';
import type { ClientChannel } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { eventually } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.stop());

async function login(): Promise<Client> {
  const client = new Client();
  await new Promise<void>((resolveReady, reject) => {
    client.once('ready', resolveReady).once('error', reject);
    client.connect({ host: '127.0.0.1', port: server.port, username: 'root', privateKey: readFileSync(server.key.privatePath), readyTimeout: 10_000 });
  });
  return client;
}

/** ssh2's client internals: enough to open a session channel and send nothing on it. */
interface ClientInternals {
  _protocol: { session(localChannel: number, window: number, packetSize: number): void };
  _sock: { destroy(): void };
}

/** The daemon is alive and still lets a real OpenSSH client in. */
async function expectStillServing(): Promise<void> {
  const result = await server.ssh('echo still-serving');
  expect(result.stdout.toString()).toBe('still-serving\n');
  expect(server.log()).not.toMatch(/internal error/);
  expect(server.process.exitCode).toBeNull();
}

describe('session channels and pty requests that used to end the daemon', () => {
  it('a connection dropped while its session channel has no shell or exec yet', async () => {
    const client = await login();
    const before = (server.log().match(/^breakglassd: disconnect /gm) ?? []).length;
    // CHANNEL_OPEN "session" (the server answers with a confirmation the client ignores),
    // then the link goes away with the channel still bare.
    (client as unknown as ClientInternals)._protocol.session(4242, 2 * 1024 * 1024, 32 * 1024);
    await new Promise((resolve) => setTimeout(resolve, 300));
    (client as unknown as ClientInternals)._sock.destroy();
    expect(await eventually(() => (server.log().match(/^breakglassd: disconnect /gm) ?? []).length > before, 5000)).toBe(true);
    await expectStillServing();
  });

  it('a pty-req whose mode values are 2^24 or more gets its shell (RFC 4254 §8 modes, any uint32)', async () => {
    const client = await login();
    try {
      const channel = await new Promise<ClientChannel>((res, rej) =>
        client.shell({ term: 'xterm', cols: 100, rows: 30, modes: { VINTR: 0x05000000, VERASE: 127, ECHO: 1, TTY_OP_ISPEED: 38400 } }, (err, ch) => (err ? rej(err) : res(ch))),
      );
      let screen = '';
      channel.on('data', (chunk: Buffer) => (screen += chunk.toString()));
      channel.write('echo shell-$BREAKGLASS_SESSION-ok\r');
      expect(await eventually(() => /^shell-\d+-ok\r?$/m.test(screen), 10_000), screen).toBe(true);
      channel.end('exit\r');
    } finally {
      client.end();
    }
    await expectStillServing();
  });
});
