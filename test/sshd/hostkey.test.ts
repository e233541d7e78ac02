// The host key as a user sees it: the readiness line's fingerprint is what ssh-keygen
// prints for the stored key, it survives a restart, and the client can pin it.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.js';
import { runDaemon } from './helpers.js';

const execFileAsync = promisify(execFile);
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('host key', () => {
  it('readiness fingerprint = ssh-keygen -lf of the generated key (0600), the same after a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bg-hostkey-'));
    dirs.push(dir);
    const first = await startServer({ dir });
    const keyPath = join(dir, 'host_key');
    const { stdout } = await execFileAsync('ssh-keygen', ['-lf', keyPath]);
    expect(stdout.split(' ')[1]).toBe(first.fingerprint);
    expect((await stat(keyPath)).mode & 0o777).toBe(0o600);
    // The full public key line comes before the listening line, for pinning.
    const pub = (await execFileAsync('ssh-keygen', ['-yf', keyPath])).stdout.trim().split(' ').slice(0, 2).join(' ');
    expect(first.log()).toContain(`breakglassd: host key ${pub}\n`);
    expect(first.log().indexOf('host key ssh-ed25519')).toBeLessThan(first.log().indexOf('listening on'));
    const keyText = await readFile(keyPath, 'utf8');
    await first.stop();

    const second = await startServer({ dir });
    try {
      expect(second.fingerprint).toBe(first.fingerprint);
      expect(await readFile(keyPath, 'utf8')).toBe(keyText);
      // A client pinning that key connects with StrictHostKeyChecking=yes.
      await writeFile(join(dir, 'pinned'), `[127.0.0.1]:${second.port} ${pub}\n`);
      const pinned = await second.ssh('echo pinned', {
        extraArgs: ['-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${join(dir, 'pinned')}`],
      });
      expect(pinned.stdout.toString()).toBe('pinned\n');
    } finally {
      await second.stop();
    }
  });

  it('a malformed host key: one clear line, exit 2, the file left as it was', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bg-hostkey-'));
    dirs.push(dir);
    await writeFile(join(dir, 'ak'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOZ3y8r3k4nXbTCpA5yiu1WEqlGYR9jj4S5jUBzKL7r1 x\n');
    await writeFile(join(dir, 'host_key'), '-----BEGIN OPENSSH PRIVATE KEY-----\ngarbage\n-----END OPENSSH PRIVATE KEY-----\n');
    const result = await runDaemon(['--port', '0', '--listen', '127.0.0.1', '--authorized-keys', join(dir, 'ak'), '--host-key', join(dir, 'host_key')]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^breakglassd: --host-key \S+host_key: cannot parse the key .*move it away/);
    expect(await readFile(join(dir, 'host_key'), 'utf8')).toContain('garbage');
  });

  it('an unreadable host key (a directory): exit 2 with a clear line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bg-hostkey-'));
    dirs.push(dir);
    await writeFile(join(dir, 'ak'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOZ3y8r3k4nXbTCpA5yiu1WEqlGYR9jj4S5jUBzKL7r1 x\n');
    const result = await runDaemon(['--port', '0', '--listen', '127.0.0.1', '--authorized-keys', join(dir, 'ak'), '--host-key', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`breakglassd: --host-key ${dir}: is a directory, expected a private key file\n`);
  });
});
