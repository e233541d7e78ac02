// Transport algorithms as a client sees them: what OpenSSH negotiates, strict key
// exchange (Terrapin), AES-GCM steering, legacy algorithms refused, and ssh-audit (when
// installed).
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, startServer } from '../helpers/server.js';
import { sshAtLogLevel } from './helpers.js';
import type { TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.stop());

/**
 * Sends only a version line, never a KEXINIT, and returns the cipher name-lists of the
 * server's KEXINIT (RFC 4253 §7.1: after the 16-byte cookie come kex, host key, then
 * the two cipher lists).
 */
function firstServerKexinit(port: number): Promise<{ cipherLists: string[] }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no KEXINIT from the server within 5 s'));
    }, 5000);
    let buffer = Buffer.alloc(0);
    let identSent = false;
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      const identEnd = buffer.indexOf('\r\n');
      if (identEnd < 0) return;
      if (!identSent) {
        socket.write('SSH-2.0-WaitsForServer_1.0\r\n');
        identSent = true;
      }
      const packet = buffer.subarray(identEnd + 2);
      if (packet.length < 4 || packet.length < 4 + packet.readUInt32BE(0)) return;
      clearTimeout(timer);
      socket.destroy();
      expect(packet[5]).toBe(20); // SSH_MSG_KEXINIT
      let offset = 6 + 16;
      const lists: string[] = [];
      for (let i = 0; i < 4; i++) {
        const length = packet.readUInt32BE(offset);
        lists.push(packet.subarray(offset + 4, offset + 4 + length).toString('latin1'));
        offset += 4 + length;
      }
      resolve({ cipherLists: lists.slice(2) });
    });
  });
}

/** The server's KEXINIT name-lists as `ssh -vv` (DEBUG2 or more) prints them. */
function serverProposal(stderr: string): string {
  // ssh writes its debug lines with \r\n.
  return /peer server KEXINIT proposal\r?\n((?:debug2: [^\n]*\n)+?)debug2: first_kex_follows/.exec(stderr)?.[1] ?? '';
}

async function hasSshAudit(): Promise<boolean> {
  return promisify(execFile)('ssh-audit', ['--help']).then(
    () => true,
    (err: { code?: unknown }) => err.code !== 'ENOENT',
  );
}

describe('algorithms', () => {
  it('OpenSSH negotiates curve25519, an ed25519 host key and strict kex', async () => {
    const result = await sshAtLogLevel(server, 'DEBUG3', 'echo ok');
    expect(result.stdout.toString()).toBe('ok\n');
    expect(result.stderr).toMatch(/kex: algorithm: curve25519-sha256/);
    expect(result.stderr).toMatch(/kex: host key algorithm: ssh-ed25519/);
    expect(result.stderr).toMatch(/will use strict KEX ordering/);
    const offered = serverProposal(result.stderr);
    expect(offered).toContain('KEX algorithms: curve25519-sha256,curve25519-sha256@libssh.org,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,kex-strict-s-v00@openssh.com');
    // OpenSSH's client has AES-GCM, so it is steered there (STEERED_CIPHERS).
    expect(offered).toMatch(/ciphers stoc: aes128-gcm@openssh.com,aes256-gcm@openssh.com\r?\n/);
    expect(result.stderr).toMatch(/kex: server->client cipher: aes128-gcm@openssh.com MAC: <implicit>/);
    expect(result.stderr).toMatch(/kex: client->server cipher: aes128-gcm@openssh.com MAC: <implicit>/);
    expect(offered).toContain('MACs stoc: hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha2-256,hmac-sha2-512');
    expect(offered).not.toMatch(/sha1|cbc|ecdh-sha2-nistp|ssh-rsa\b|group14|group1-|group-exchange/);
  });

  it('a client without AES-GCM is offered every cipher and keeps its own pick', async () => {
    const result = await sshAtLogLevel(server, 'DEBUG3', 'echo ok', ['-c', 'aes256-ctr,aes128-ctr']);
    expect(result.stdout.toString()).toBe('ok\n');
    const offered = serverProposal(result.stderr);
    expect(offered).toContain('ciphers stoc: aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr');
    expect(result.stderr).toMatch(/kex: server->client cipher: aes256-ctr MAC: hmac-sha2-256-etm@openssh.com/);
  });

  it('a client that waits for the server to send KEXINIT first gets the whole offer', async () => {
    const kexinit = await firstServerKexinit(server.port);
    expect(kexinit.cipherLists).toEqual([
      'aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr',
      'aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr',
    ]);
  });

  it.each([
    [['-o', 'KexAlgorithms=diffie-hellman-group14-sha1'], /no matching key exchange method/],
    [['-o', 'KexAlgorithms=ecdh-sha2-nistp256'], /no matching key exchange method/],
    [['-c', 'aes128-cbc'], /no matching cipher/],
    [['-c', 'chacha20-poly1305@openssh.com'], /no matching cipher/],
    [['-o', 'MACs=hmac-sha1', '-c', 'aes128-ctr'], /no matching MAC/],
    [['-o', 'HostKeyAlgorithms=ssh-rsa'], /no matching host key type/],
  ])('refuses a client that only offers %j', async (args, message) => {
    const result = await sshAtLogLevel(server, 'INFO', 'echo ok', args);
    expect(result.code).toBe(255);
    expect(result.stderr).toMatch(message);
  });

  it('ssh-audit reports no failure', async (ctx) => {
    if (!(await hasSshAudit())) return ctx.skip();
    const result = await run('ssh-audit', ['-n', '-p', String(server.port), '127.0.0.1'], { timeoutMs: 60_000 });
    const out = result.stdout.toString();
    expect(out).toContain('(kex) curve25519-sha256');
    expect(out).not.toMatch(/\[fail\]/);
    // ssh-audit 2.5 exits 3 on failures, 2 on warnings (e.g. non-ETM MACs), 1 on connection errors.
    expect([0, 2]).toContain(result.code);
  });
});
