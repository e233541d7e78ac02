// Public-key authentication against authorized_keys with the real OpenSSH client:
// key types, refusal messages, options (from=, expiry-time=, no-pty, command=), bad
// lines, and re-reading the file when it changes.
import { appendFile, rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKey, startServer, waitFor } from '../helpers/server.js';
import type { KeyPair, TestServer } from '../helpers/server.js';
import { sshWithIdentity } from './helpers.js';

const servers: TestServer[] = [];
afterAll(async () => Promise.all(servers.map((s) => s.stop())));

async function serve(authorizedKeys: (key: KeyPair) => string, args: string[] = []): Promise<TestServer> {
  const server = await startServer({ authorizedKeys, args });
  servers.push(server);
  return server;
}

const DENIED = /Permission denied \(publickey\)/;

describe('key types and refusal', () => {
  let server: TestServer;
  let keys: Record<'ecdsa' | 'rsa' | 'stranger', KeyPair>;
  beforeAll(async () => {
    server = await serve((k) => `${k.publicLine}\n`);
    keys = {
      ecdsa: await makeKey(server.dir, 'ecdsa'),
      rsa: await makeKey(server.dir, 'rsa'),
      stranger: await makeKey(server.dir, 'ed25519', 'id_stranger'),
    };
    await writeFile(server.authorizedKeysPath, `${server.key.publicLine}\n${keys.ecdsa.publicLine}\n${keys.rsa.publicLine}\n`);
  });

  it.each(['ed25519', 'ecdsa', 'rsa'] as const)('%s user key logs in', async (type) => {
    const identity = type === 'ed25519' ? server.key.privatePath : keys[type].privatePath;
    const result = await sshWithIdentity(server, identity, 'echo in');
    expect(result.stdout.toString()).toBe('in\n');
    expect(result.code).toBe(0);
  });

  it('logs the fingerprint and comment of a successful login', async () => {
    await sshWithIdentity(server, keys.rsa.privatePath, 'echo in');
    expect(server.log()).toMatch(/auth conn=\d+ result=ok user=root from=127\.0\.0\.1:\d+ key=SHA256:\S+ type=rsa-sha2-(256|512) comment=test-id_rsa line=3/);
  });

  it('a key not in the file gets "Permission denied (publickey)" and the failure is logged', async () => {
    const result = await sshWithIdentity(server, keys.stranger.privatePath, 'echo in');
    expect(result.code).toBe(255);
    expect(result.stderr).toMatch(DENIED);
    expect(result.stdout.toString()).toBe('');
    expect(server.log()).toMatch(/auth conn=\d+ result=fail user=root key=SHA256:\S+ type=ssh-ed25519 reason="key not in authorized_keys"/);
  });

  it('a client offering only SHA-1 RSA signatures is refused', async () => {
    const result = await sshWithIdentity(server, keys.rsa.privatePath, 'echo in', { extraArgs: ['-o', 'PubkeyAcceptedAlgorithms=ssh-rsa'] });
    expect(result.code).toBe(255);
    expect(result.stdout.toString()).toBe('');
  });

  it('disconnects after 6 failed attempts on one connection', async () => {
    const strangers = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => makeKey(server.dir, 'ed25519', `id_many${n}`)));
    const result = await sshWithIdentity(server, strangers[0]!.privatePath, 'echo in', {
      extraArgs: strangers.slice(1).flatMap((k) => ['-i', k.privatePath]),
    });
    expect(result.code).toBe(255);
    expect(server.log()).toMatch(/auth conn=\d+ result=disconnect user=root reason="more than 6 failed attempts"/);
  });

  it('password and keyboard-interactive are not offered', async () => {
    const result = await sshWithIdentity(server, keys.stranger.privatePath, 'echo in', {
      extraArgs: ['-o', 'PreferredAuthentications=password,keyboard-interactive'],
    });
    expect(result.stderr).toMatch(DENIED);
  });
});

describe('authorized_keys options', () => {
  it('from= that does not match the client refuses the key; a matching one admits it', async () => {
    const server = await serve((k) => `from="10.0.0.0/8,192.168.*" ${k.publicLine}\n`);
    const denied = await server.ssh('echo in');
    expect(denied.stderr).toMatch(DENIED);
    expect(server.log()).toMatch(/reason="from= on line 1 does not allow 127\.0\.0\.1"/);
    await writeFile(server.authorizedKeysPath, `from="!127.0.0.2,127.0.0.0/8" ${server.key.publicLine}\n`);
    expect((await server.ssh('echo in')).stdout.toString()).toBe('in\n');
  });

  it('a past expiry-time= refuses the key; a future one admits it', async () => {
    const server = await serve((k) => `expiry-time="20200101" ${k.publicLine}\n`);
    expect((await server.ssh('echo in')).stderr).toMatch(DENIED);
    expect(server.log()).toMatch(/reason="key on line 1 expired at 2020-01-01/);
    await writeFile(server.authorizedKeysPath, `expiry-time="29991231Z" ${server.key.publicLine}\n`);
    expect((await server.ssh('echo in')).stdout.toString()).toBe('in\n');
  });

  it('no-pty refuses the pty as sshd does (a client that insisted on one gives up)', async () => {
    const server = await serve((k) => `no-pty ${k.publicLine}\n`);
    // OpenSSH's client closes the channel when an explicitly requested pty (-t/-tt) is refused.
    const forced = await server.ssh('echo ran', { extraArgs: ['-tt', '-o', 'LogLevel=INFO'] });
    expect(forced.stderr).toContain('PTY allocation request failed');
    expect(forced.stdout.toString()).toBe('');
    expect(forced.code).toBe(255);
    expect(server.log()).toMatch(/pty-refused conn=\d+ session=0 reason="no-pty on authorized_keys line 1"/);
    // Without a pty request the key works as usual.
    const plain = await server.ssh('echo ran; exit 7');
    expect(plain.stdout.toString()).toBe('ran\n');
    expect(plain.code).toBe(7);
  });

  it('command= forces the command and passes the request in SSH_ORIGINAL_COMMAND', async () => {
    const server = await serve((k) => `command="echo forced: $SSH_ORIGINAL_COMMAND" ${k.publicLine}\n`);
    expect((await server.ssh('echo asked')).stdout.toString()).toBe('forced: echo asked\n');
    // A shell request runs the forced command too, with no banner.
    const shell = await server.ssh([], { extraArgs: ['-T'] });
    expect(shell.stdout.toString()).toBe('forced:\n');
    expect(server.log()).toMatch(/auth conn=\d+ result=ok .* forced="echo forced: \$SSH_ORIGINAL_COMMAND"/);
  });

  it('restrict limits the client environment to LANG/LC_*', async () => {
    const server = await serve((k) => `restrict ${k.publicLine}\n`);
    const result = await server.ssh('echo "[$FOO] [$LANG]"', { extraArgs: ['-o', 'SetEnv=FOO=bar LANG=C.UTF-8'] });
    expect(result.stdout.toString()).toBe('[] [C.UTF-8]\n');
  });
});

describe('the file itself', () => {
  it('a garbage line in the middle leaves the other keys working and is logged with its line number', async () => {
    let second!: KeyPair;
    const server = await serve((k) => `# keys\n${k.publicLine}\nthis is garbage\n`);
    second = await makeKey(server.dir, 'ecdsa');
    await writeFile(server.authorizedKeysPath, `# keys\n${server.key.publicLine}\nthis is garbage\n${second.publicLine}\n`);
    expect((await server.ssh('echo first')).stdout.toString()).toBe('first\n');
    expect((await sshWithIdentity(server, second.privatePath, 'echo second')).stdout.toString()).toBe('second\n');
    expect(server.log()).toMatch(/warning message=".*authorized_keys:3: .*line skipped" file=\S+ line=3/);
  });

  it('is re-read when it changes: a removed key stops working, an added one works, a deleted file revokes all', async () => {
    const server = await serve((k) => `${k.publicLine}\n`);
    const other = await makeKey(server.dir, 'ed25519', 'id_other');
    expect((await sshWithIdentity(server, other.privatePath, 'echo x')).stderr).toMatch(DENIED);
    await appendFile(server.authorizedKeysPath, `${other.publicLine}\n`);
    expect((await sshWithIdentity(server, other.privatePath, 'echo x')).stdout.toString()).toBe('x\n');
    await writeFile(server.authorizedKeysPath, `${other.publicLine}\n`);
    expect((await server.ssh('echo x')).stderr).toMatch(DENIED);
    await writeFile(server.authorizedKeysPath, '');
    expect((await sshWithIdentity(server, other.privatePath, 'echo x')).stderr).toMatch(DENIED);
    await waitFor(() => server.log(), /no usable key; nobody can log in/);
    await writeFile(server.authorizedKeysPath, `${other.publicLine}\n`);
    expect((await sshWithIdentity(server, other.privatePath, 'echo x')).code).toBe(0);
    await rm(server.authorizedKeysPath);
    expect((await sshWithIdentity(server, other.privatePath, 'echo x')).stderr).toMatch(DENIED);
    await waitFor(() => server.log(), /is unavailable \(.*ENOENT.*\); refusing every login until it is back/);
  });
});
