import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprintOf, keyTypeMatches, knownHostsLine, pickScannedKey, scanLogLine, verifiedHostKey } from './host-key.js';

function realKey(): { publicKey: string; fingerprint: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bg-hk-'));
  try {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k')]);
    const publicKey = readFileSync(join(dir, 'k.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
    const fingerprint = execFileSync('ssh-keygen', ['-lf', join(dir, 'k.pub')]).toString().split(' ')[1]!;
    return { publicKey, fingerprint };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('host key pinning', () => {
  const key = realKey();

  it('computes the fingerprint exactly as ssh-keygen -lf does', () => {
    expect(fingerprintOf(key.publicKey)).toBe(key.fingerprint);
    expect(keyTypeMatches(key.publicKey)).toBe(true);
    expect(keyTypeMatches(key.publicKey.replace('ssh-ed25519', 'ssh-rsa'))).toBe(false);
  });

  it('takes the fingerprint and key from the startup lines, the latest winning', () => {
    const lines = [
      'breakglassd: listening on 127.0.0.1:22 (host key SHA256:old)',
      'some audit line',
      `breakglassd: host key ${key.publicKey}`,
      `breakglassd: listening on 10.0.0.7:22 (host key ${key.fingerprint})`,
    ];
    const state = lines.reduce(scanLogLine, {});
    expect(state).toEqual({ fingerprint: key.fingerprint, publicKey: key.publicKey });
    expect(verifiedHostKey(state, 'pi')).toBe(key.publicKey);
    expect(knownHostsLine('breakglass.pi', `${key.publicKey} comment`)).toBe(`breakglass.pi ${key.publicKey}\n`);
  });

  it('refuses a key whose fingerprint differs from the logged one, showing both', () => {
    const other = realKey();
    expect(() => verifiedHostKey({ fingerprint: other.fingerprint, publicKey: key.publicKey }, 'pi')).toThrow(
      `host key mismatch for pi: the server logged fingerprint ${other.fingerprint} but its key has ${key.fingerprint}`,
    );
  });

  it('has nothing to pin when the key was not logged', () => {
    expect(verifiedHostKey({ fingerprint: key.fingerprint }, 'pi')).toBeUndefined();
  });

  it('picks the scanned key matching a logged fingerprint, or refuses with both', () => {
    const other = realKey();
    const scan = `# 127.0.0.1:22 SSH-2.0-OpenSSH\n127.0.0.1 ${other.publicKey}\n[127.0.0.1]:22 ${key.publicKey}\n`;
    expect(pickScannedKey(scan, key.fingerprint, 'pi')).toBe(key.publicKey);
    expect(() => pickScannedKey(`h ${other.publicKey}\n`, key.fingerprint, 'pi')).toThrow(
      `host key mismatch for pi: the server logged fingerprint ${key.fingerprint} but presents ${other.fingerprint}`,
    );
  });
});
