// Host-key pinning: breakglassd logs its key at startup, which the client reads through
// the authenticated web UI (/log), so the first SSH connection is not trust-on-first-use.
//   breakglassd: listening on ADDR:PORT (host key SHA256:<base64>)
//   breakglassd: host key ssh-ed25519 AAAA…
// The key's fingerprint must equal the logged one (as `ssh-keygen -lf` computes it:
// SHA-256 over the wire-format blob, unpadded base64).
import { createHash } from 'node:crypto';

export interface LoggedHostKey {
  fingerprint?: string;
  /** `ssh-ed25519 AAAA…` (type and base64 blob). */
  publicKey?: string;
}

const LISTENING = /breakglassd: listening on \S+ \(host key (SHA256:[A-Za-z0-9+/]+)\)/;
const HOST_KEY = /breakglassd: host key ((?:ssh-ed25519|ecdsa-sha2-nistp(?:256|384|521)|rsa-sha2-(?:256|512)|ssh-rsa) [A-Za-z0-9+/]+={0,3})/;

/** Folds log lines; the latest start of the service wins. */
export function scanLogLine(state: LoggedHostKey, line: string): LoggedHostKey {
  const listening = LISTENING.exec(line);
  if (listening) return { ...state, fingerprint: listening[1] };
  const key = HOST_KEY.exec(line);
  if (key) return { ...state, publicKey: key[1] };
  return state;
}

export function fingerprintOf(publicKey: string): string {
  const blob = Buffer.from(publicKey.trim().split(/\s+/)[1] ?? '', 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type inside the blob must match the one named in front of it. */
export function keyTypeMatches(publicKey: string): boolean {
  const [type, data] = publicKey.trim().split(/\s+/);
  if (!type || !data) return false;
  const blob = Buffer.from(data, 'base64');
  if (blob.length < 4) return false;
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('latin1') === type;
}

export class HostKeyMismatch extends Error {
  override name = 'HostKeyMismatch';
}

/** Checks the logged key against the logged fingerprint; returns the key to pin. */
export function verifiedHostKey(logged: LoggedHostKey, host: string): string | undefined {
  if (!logged.publicKey) return undefined;
  if (!keyTypeMatches(logged.publicKey)) throw new HostKeyMismatch(`the host key logged by ${host} is malformed: ${logged.publicKey.slice(0, 40)}…`);
  const actual = fingerprintOf(logged.publicKey);
  if (logged.fingerprint && logged.fingerprint !== actual) {
    throw new HostKeyMismatch(
      `host key mismatch for ${host}: the server logged fingerprint ${logged.fingerprint} but its key has ${actual}; refusing to connect`,
    );
  }
  return logged.publicKey;
}

/** A known_hosts line for an alias (ssh -o HostKeyAlias=…), see sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT". */
export function knownHostsLine(alias: string, publicKey: string): string {
  return `${alias} ${publicKey.trim().split(/\s+/).slice(0, 2).join(' ')}\n`;
}

/**
 * ssh-keyscan output (`host type base64` per line, comments with #) → the key whose
 * fingerprint is the logged one. Used when the service logged only its fingerprint.
 */
export function pickScannedKey(keyscanOutput: string, fingerprint: string, host: string): string {
  const keys = keyscanOutput
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(/\s+/).slice(1, 3).join(' '))
    .filter((key) => keyTypeMatches(key));
  const match = keys.find((key) => fingerprintOf(key) === fingerprint);
  if (match) return match;
  const seen = keys.map(fingerprintOf).join(', ') || 'none';
  throw new HostKeyMismatch(`host key mismatch for ${host}: the server logged fingerprint ${fingerprint} but presents ${seen}; refusing to connect`);
}
