import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateHostKey } from './host-key.js';

const dir = mkdtempSync(join(tmpdir(), 'hostkey-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keygenFingerprint(path: string): string {
  return execFileSync('ssh-keygen', ['-lf', path]).toString().split(' ')[1]!;
}

describe('loadOrCreateHostKey', () => {
  it('generates an ed25519 key, mode 0600, that ssh-keygen reads with the same fingerprint; reloads it unchanged', async () => {
    const path = join(dir, 'sub', 'host_key');
    const first = await loadOrCreateHostKey(path);
    expect(first.generated).toBe(true);
    expect(first.type).toBe('ssh-ed25519');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(first.fingerprint).toBe(keygenFingerprint(path));
    // ssh-keygen -y derives the same public key line.
    expect(execFileSync('ssh-keygen', ['-y', '-f', path]).toString().trim()).toBe(`${first.publicLine} breakglassd host key`);
    const text = readFileSync(path, 'utf8');
    const second = await loadOrCreateHostKey(path);
    expect(second.generated).toBe(false);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('uses an existing OpenSSH key (ecdsa) as it is', async () => {
    const path = join(dir, 'ecdsa_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', path]);
    const key = await loadOrCreateHostKey(path);
    expect(key.type).toBe('ecdsa-sha2-nistp256');
    expect(key.fingerprint).toBe(keygenFingerprint(path));
  });

  it('refuses a malformed key without touching it', async () => {
    const path = join(dir, 'garbage');
    writeFileSync(path, 'not a key\n', { mode: 0o600 });
    await expect(loadOrCreateHostKey(path)).rejects.toThrow(/--host-key .*garbage: cannot parse the key/);
    expect(readFileSync(path, 'utf8')).toBe('not a key\n');
  });

  it('refuses a public key and a directory', async () => {
    const pub = join(dir, 'pub');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', pub]);
    await expect(loadOrCreateHostKey(`${pub}.pub`)).rejects.toThrow(/public key, a private key is needed/);
    const d = join(dir, 'adir');
    mkdirSync(d);
    await expect(loadOrCreateHostKey(d)).rejects.toThrow(/is a directory/);
  });

  it('refuses an encrypted key', async () => {
    const path = join(dir, 'encrypted');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret', '-f', path]);
    await expect(loadOrCreateHostKey(path)).rejects.toThrow(/cannot parse the key/);
  });

  it('warns when the key is readable by others', async () => {
    const path = join(dir, 'open_key');
    await loadOrCreateHostKey(path);
    execFileSync('chmod', ['644', path]);
    expect((await loadOrCreateHostKey(path)).permissionWarning).toMatch(/mode 644\); chmod 600/);
  });
});
