// The public-key authorisation decision (RFC 4252 §7), kept free of ssh2 and I/O:
// which authorized_keys entry (if any) admits this key from this address now, and
// whether the signature is valid. Like sshd, a line whose from=/expiry-time= refuses
// the client does not stop a later line with the same key from admitting it.
import type { AuthorizedKey } from './authorized-keys.js';
import { fromAllows } from './from-patterns.js';
import { SK_FLAG_USER_PRESENT, SK_FLAG_USER_VERIFIED, verifySkSignature } from './sk-keys.js';
import { verifySignature } from './ssh-keys.js';

export interface PublicKeyAttempt {
  /** Key type as ssh2 reports it (`ssh-rsa` also for rsa-sha2-*). */
  keyType: string;
  keyBlob: Buffer;
  hashAlgo: string | undefined;
  /** Absent for the "would this key be accepted?" query (RFC 4252 §7 PK_OK). */
  signature?: { data: Buffer; signature: Buffer };
}

export type AuthDecision =
  | { ok: true; entry: AuthorizedKey; query: boolean }
  | { ok: false; entry?: AuthorizedKey; reason: string };

function refusal(entry: AuthorizedKey, clientAddress: string, now: number): string | undefined {
  const { from, expiresAt } = entry.options;
  if (from && !fromAllows(from, clientAddress)) return `from= on line ${entry.line} does not allow ${clientAddress}`;
  if (expiresAt !== undefined && now >= expiresAt) return `key on line ${entry.line} expired at ${new Date(expiresAt).toISOString()}`;
  return undefined;
}

/** Returns why the signature is refused, or undefined when it is good. */
function checkSignature(entry: AuthorizedKey, signed: { data: Buffer; signature: Buffer }, hashAlgo: string | undefined): string | undefined {
  const { key } = entry;
  if (!('kind' in key)) return verifySignature(key, signed.data, signed.signature, hashAlgo) ? undefined : 'bad signature';
  const check = verifySkSignature(key, signed.data, signed.signature);
  if (!check.valid) return 'bad signature';
  // sshd(8): a security key must have been touched unless no-touch-required; verify-required needs UV.
  if (entry.options.touchRequired && !(check.flags & SK_FLAG_USER_PRESENT)) return 'security key was not touched (user presence flag missing)';
  if (entry.options.verifyRequired && !(check.flags & SK_FLAG_USER_VERIFIED)) return 'security key did not verify the user (verify-required)';
  return undefined;
}

export function decidePublicKey(
  keys: readonly AuthorizedKey[],
  attempt: PublicKeyAttempt,
  clientAddress: string,
  now: number = Date.now(),
): AuthDecision {
  const matching = keys.filter((k) => k.type === attempt.keyType && k.blob.equals(attempt.keyBlob));
  if (matching.length === 0) return { ok: false, reason: 'key not in authorized_keys' };
  if (attempt.keyType === 'ssh-rsa' && attempt.hashAlgo !== 'sha256' && attempt.hashAlgo !== 'sha512') {
    return { ok: false, entry: matching[0], reason: 'ssh-rsa (SHA-1) signatures are not accepted; use rsa-sha2-256/512' };
  }
  let lastReason = '';
  for (const entry of matching) {
    const refused = refusal(entry, clientAddress, now);
    if (refused) {
      lastReason = refused;
      continue;
    }
    if (!attempt.signature) return { ok: true, entry, query: true };
    const refusedSignature = checkSignature(entry, attempt.signature, attempt.hashAlgo);
    if (refusedSignature) return { ok: false, entry, reason: refusedSignature };
    return { ok: true, entry, query: false };
  }
  return { ok: false, entry: matching[0], reason: lastReason };
}
