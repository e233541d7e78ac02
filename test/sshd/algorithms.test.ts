// Transport algorithms as a client sees them: what OpenSSH negotiates, strict key
// exchange (Terrapin), legacy algorithms refused, and ssh-audit (when installed).
import { execFile } from 'node:child_process';
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
    // ssh writes its debug lines with \r\n.
    const offered = /peer server KEXINIT proposal\r?\n((?:debug2: [^\n]*\n)+?)debug2: first_kex_follows/.exec(result.stderr)?.[1] ?? '';
    expect(offered).toContain('KEX algorithms: curve25519-sha256,curve25519-sha256@libssh.org,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,kex-strict-s-v00@openssh.com');
    expect(offered).toContain('ciphers stoc: aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr');
    expect(offered).toContain('MACs stoc: hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha2-256,hmac-sha2-512');
    expect(offered).not.toMatch(/sha1|cbc|ecdh-sha2-nistp|ssh-rsa\b|group14|group1-|group-exchange/);
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
