// The client against a stock OpenSSH sshd standing in for the device's SSH server (a
// wrapper logs breakglassd's startup lines for it). This checks the client's own part —
// pinning, refusing a mismatching key, one shared connection for upload and session —
// independently of breakglassd. Needs /usr/sbin/sshd (Debian: openssh-server) and root.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeKey } from '../helpers/server.js';
import type { KeyPair } from '../helpers/server.js';
import type { ServiceJson } from '../init/harness.js';
import { startDevice } from './device.js';
import type { Device } from './device.js';

const SSHD = '/usr/sbin/sshd';
const usable = existsSync(SSHD) && process.getuid?.() === 0;

/** Writes sshd_config and a wrapper that logs the startup lines (optionally a wrong fingerprint). */
async function sshdService(dir: string, port: number, key: KeyPair, loggedFingerprint?: (real: string) => Promise<string>, logKey = true): Promise<ServiceJson> {
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const hostKey = await makeKey(dir, 'ed25519', 'sshd_host_key');
  await writeFile(join(dir, 'authorized_keys'), `${key.publicLine}\n`);
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  // `toolbox add` as breakglassd's shell would run it: count the bytes, say how many.
  await writeFile(join(bin, 'toolbox'), `#!${process.execPath}\nlet n = 0; process.stdin.on('data', (c) => (n += c.length)); process.stdin.on('end', () => console.log('toolbox: added ' + n + ' bytes'));\n`);
  await chmod(join(bin, 'toolbox'), 0o755);
  await writeFile(join(dir, 'sshd_config'), [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${hostKey.privatePath}`, `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PidFile none', 'UsePAM no', 'StrictModes no', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UseDNS no',
    `SetEnv PATH=${bin}:/usr/bin:/bin`, `MaxSessions 10`, '',
  ].join('\n'));
  const real = execFileSync('ssh-keygen', ['-lf', `${hostKey.privatePath}.pub`]).toString().split(' ')[1]!;
  const fingerprint = loggedFingerprint ? await loggedFingerprint(real) : real;
  const pub = hostKey.publicLine.split(' ').slice(0, 2).join(' ');
  const wrapper = `
    const { spawn } = require('node:child_process');
    const sshd = spawn(${JSON.stringify(SSHD)}, ['-D', '-e', '-f', ${JSON.stringify(join(dir, 'sshd_config'))}], { stdio: 'inherit' });
    ${logKey ? `console.error(${JSON.stringify(`breakglassd: host key ${pub}`)});` : ''}
    console.error(${JSON.stringify(`breakglassd: listening on 127.0.0.1:${port} (host key ${fingerprint})`)});
    process.on('SIGTERM', () => sshd.kill('SIGTERM'));
    sshd.on('exit', (code) => process.exit(code ?? 1));`;
  return { path: '/user/breakglass', dontStart: true, command: [process.execPath, '-e', wrapper] };
}

let device: Device | undefined;
afterEach(async () => {
  await device?.stop();
  device = undefined;
});

describe.skipIf(!usable)('breakglass client against OpenSSH sshd', () => {
  it('pins the logged host key and uploads over the same connection as the session', async () => {
    device = await startDevice((dir, port, key) => sshdService(dir, port, key));
    const tarball = join(device.dir, 'debug-x.tar');
    await writeFile(tarball, Buffer.alloc(200_000, 7));
    // The client's temporary dir (and so its ControlPath) lands in our dir, to tell its master from others.
    const result = await device.client(['--debug-tarball-pattern', tarball, '127.0.0.1', 'echo', 'session', 'ran'], { env: { ...process.env, TMPDIR: device.dir } });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('pinned host key SHA256:');
    expect(result.stderr).toContain('toolbox: added 200000 bytes');
    expect(result.stdout.toString()).toBe('session ran\n');
    // sshd logs one "Accepted publickey" per authentication: upload and session shared one.
    const log = (await device.init.http('GET', '/log?path=/user/breakglass&stream=stderr')).body;
    expect(log.match(/Accepted publickey/g)).toHaveLength(1);
    // The shared connection is gone afterwards.
    expect(execFileSync('ps', ['-eo', 'args']).toString()).not.toContain(`ssh: ${device.dir}/breakglass-`);
    expect(readdirSync(device.dir).filter((name) => name.startsWith('breakglass-'))).toEqual([]);
  });

  it('pins with ssh-keyscan when only the fingerprint was logged', async () => {
    device = await startDevice((dir, port, key) => sshdService(dir, port, key, undefined, false));
    const result = await device.client(['127.0.0.1', 'echo', 'scanned']);
    expect(result.stderr).toMatch(/pinned host key SHA256:/);
    expect(result.stdout.toString()).toBe('scanned\n');
    expect(result.code).toBe(0);
  });

  it('refuses a server whose key does not match the fingerprint it logged, showing both', async () => {
    let logged = '';
    let real = '';
    device = await startDevice((dir, port, key) =>
      sshdService(dir, port, key, async (fingerprint) => {
        real = fingerprint;
        const other = await makeKey(dir, 'ed25519', 'other');
        logged = execFileSync('ssh-keygen', ['-lf', `${other.privatePath}.pub`]).toString().split(' ')[1]!;
        return logged;
      }),
    );
    const result = await device.client(['127.0.0.1', 'echo', 'should not run']);
    expect(result.code).toBe(1);
    expect(result.stdout.toString()).toBe('');
    expect(result.stderr).toContain(`host key mismatch for 127.0.0.1: the server logged fingerprint ${logged} but its key has ${real}; refusing to connect`);
  });

  it('lets ssh refuse a server that presents a different key than the one logged', async () => {
    device = await startDevice((dir, port, key) => sshdService(dir, port, key));
    // Swap the server's key after it logged the old one (as an impostor would).
    const config = await readFile(join(device.dir, 'sshd_config'), 'utf8');
    const impostor = await makeKey(device.dir, 'ed25519', 'impostor');
    await writeFile(join(device.dir, 'sshd_config'), config.replace(/^HostKey .*$/m, `HostKey ${impostor.privatePath}`));
    const result = await device.client(['127.0.0.1', 'echo', 'should not run']);
    expect(result.stdout.toString()).toBe('');
    expect(result.code).toBe(255);
    expect(result.stderr).toMatch(/Host key verification failed/);
  });
});
