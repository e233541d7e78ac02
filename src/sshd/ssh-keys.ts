// Key parsing and signature checks, over ssh2's key parser. User keys accepted
// (DESIGN.md "SSH behaviour"): ssh-ed25519, ecdsa-sha2-nistp256/384/521, and RSA only
// with rsa-sha2-256/512 signatures (RFC 8332) — never SHA-1 `ssh-rsa` signatures.
import { parseKey } from 'ssh2/lib/protocol/keyParser.js';
import type { ParsedKey } from 'ssh2';

export type { ParsedKey };

export const USER_KEY_TYPES = new Set([
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
]);

/** Parses private or public key text (or a public key blob); an Error when it cannot. */
export function parseSshKey(data: string | Buffer): ParsedKey | Error {
  const parsed = parseKey(data);
  if (Array.isArray(parsed)) return parsed[0] ?? new Error('no key in data');
  return parsed;
}

/**
 * Hash algorithm to verify with, for the algorithm the client signed with; undefined
 * when that algorithm is not acceptable (SHA-1 RSA). ssh2 reports RSA keys as
 * `ssh-rsa` with hashAlgo `sha256`/`sha512` for rsa-sha2-*, and no hashAlgo for SHA-1.
 */
export function acceptableHash(keyType: string, hashAlgo: string | undefined): string | null | undefined {
  if (keyType === 'ssh-rsa') return hashAlgo === 'sha256' || hashAlgo === 'sha512' ? hashAlgo : undefined;
  return null; // the key type implies the hash (ed25519, ecdsa)
}

/** True only for a valid signature by `key` over `data` with an acceptable algorithm. */
export function verifySignature(key: ParsedKey, data: Buffer, signature: Buffer, hashAlgo: string | undefined): boolean {
  const hash = acceptableHash(key.type, hashAlgo);
  if (hash === undefined) return false;
  const result: unknown = key.verify(data, signature, hash ?? undefined);
  return result === true;
}
