// Malformed SFTP framing on a raw `sftp` subsystem channel: the channel may close, but
// the SSH connection (and every other channel on it) lives on and the daemon keeps
// serving. Each case was found by the SFTP fuzz target (stress/fuzz/sftp.mjs) and fixed
// in ssh2's parser by scripts/ssh2-patches.mjs; before the fix, each dropped the whole
// connection on a TypeError.
import { readFileSync } from 'node:fs';
import { Client } from 'ssh2';
import type { ClientChannel } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

let server: TestServer;
let client: Client;
let connectionErrors: Error[];
beforeAll(async () => {
  server = await startServer();
  client = new Client();
  connectionErrors = [];
  await new Promise<void>((resolveReady, reject) => {
    client.once('ready', resolveReady).once('error', reject);
    client.connect({ host: '127.0.0.1', port: server.port, username: 'root', privateKey: readFileSync(server.key.privatePath), readyTimeout: 10_000 });
  });
  client.on('error', (err) => connectionErrors.push(err));
});
afterAll(async () => {
  client?.end();
  await server?.stop();
});

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
/** A framed SFTP packet: uint32 length, byte type, payload (draft-ietf-secsh-filexfer-02 §3). */
const packet = (type: number, ...fields: Buffer[]): Buffer => {
  const body = Buffer.concat([Buffer.from([type]), ...fields]);
  return Buffer.concat([u32(body.length), body]);
};
const INIT = packet(1, u32(3));
const SSH_FXP = { READ: 5, WRITE: 6, FSETSTAT: 10 } as const;

/** Opens a raw sftp channel, completes INIT/VERSION, and collects what comes back. */
async function rawSftp(): Promise<{ channel: ClientChannel; closed: Promise<void>; received: () => Buffer }> {
  const channel = await new Promise<ClientChannel>((res, rej) => client.subsys('sftp', (err, ch) => (err ? rej(err) : res(ch))));
  let received = Buffer.alloc(0);
  channel.on('data', (c: Buffer) => (received = Buffer.concat([received, c])));
  channel.stderr.on('data', () => undefined);
  const closed = new Promise<void>((res) => channel.once('close', () => res()));
  channel.write(INIT);
  // VERSION: uint32 length, byte 2, uint32 version.
  await expect.poll(() => received.length >= 9 && received[4] === 2, { timeout: 5000 }).toBe(true);
  return { channel, closed, received: () => received };
}

/** Runs a command on a new channel of the same connection: proves the connection lives. */
function execOnSameConnection(command: string): Promise<string> {
  return new Promise((res, rej) =>
    client.exec(command, (err, ch) => {
      if (err) return rej(err);
      let out = '';
      ch.on('data', (c: Buffer) => (out += c.toString()));
      ch.stderr.on('data', () => undefined);
      ch.once('close', () => res(out));
    }),
  );
}

describe('malformed SFTP packets close at most their channel', () => {
  it.each(Object.entries(SSH_FXP))('%s with a handle string running past the end of the packet', async (name, type) => {
    const { channel, closed } = await rawSftp();
    // Request id, then a handle length of 1000 with 16 zero bytes behind it: enough for
    // the fields after the handle (offset+len, offset+data, attrs) to parse as present.
    channel.write(packet(type, u32(7), u32(1000), Buffer.alloc(16)));
    await closed;
    expect(await execOnSameConnection(`echo alive-after-${name}`)).toBe(`alive-after-${name}\n`);
    expect(server.log()).toContain(`message="Malformed ${name} packet"`);
    expect(connectionErrors).toEqual([]);
  });

  it('a packet length of 2^31 or more (negative in a signed 32-bit shift)', async () => {
    const { channel, closed } = await rawSftp();
    channel.write(Buffer.concat([u32(0x80000000), Buffer.from([5]), Buffer.alloc(64, 0x41)]));
    await closed;
    expect(await execOnSameConnection('echo alive-after-length')).toBe('alive-after-length\n');
    expect(server.log()).toMatch(/sftp-error conn=\d+ session=\d+ message="Packet length 2147483648 exceeds max length of 262144"/);
  });

  it('data after a framing error is ignored, not taken as the body of a huge packet', async () => {
    const { channel, closed } = await rawSftp();
    const before = rssKiB(server.process.pid!);
    // Over the 256 KiB limit (fatal), then more data in the same and in later writes.
    channel.write(Buffer.concat([u32(0x7f7f7f7f), Buffer.alloc(1024, 0x7f)]));
    for (let i = 0; i < 4; i++) channel.write(Buffer.alloc(64 * 1024, 0x7f));
    await closed;
    expect(await execOnSameConnection('echo alive-after-flood')).toBe('alive-after-flood\n');
    // A stale length of 0x7f7f7f7f would allocate and start filling 2 GiB.
    expect(rssKiB(server.process.pid!) - before).toBeLessThan(256 * 1024);
  });
});

function rssKiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
}
