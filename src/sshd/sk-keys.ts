// FIDO/U2F security-key user keys (OpenSSH PROTOCOL.u2f): sk-ssh-ed25519@openssh.com
// and sk-ecdsa-sha2-nistp256@openssh.com, which ssh2 does not know. A hardware key
// signs SHA256(application) || flags || counter || SHA256(data); `flags` bit 0x01 says a
// user touched it (required unless no-touch-required), bit 0x04 that the user was
// verified (PIN/biometric, required with verify-required).
import { createHash, createPublicKey, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { WireReader } from './wire.js';

export const SK_ED25519 = 'sk-ssh-ed25519@openssh.com';
export const SK_ECDSA = 'sk-ecdsa-sha2-nistp256@openssh.com';
export const SK_TYPES = new Set([SK_ED25519, SK_ECDSA]);

export const SK_FLAG_USER_PRESENT = 0x01;
export const SK_FLAG_USER_VERIFIED = 0x04;

export interface SkPublicKey {
  kind: 'sk';
  type: string;
  publicKey: KeyObject;
  /** The FIDO application (relying party), `ssh:` by default. */
  application: string;
}

export interface SkSignatureCheck {
  valid: boolean;
  flags: number;
  counter: number;
}

/**
 * Public key blob: string type, then for ed25519 `string pk(32)`, for ecdsa
 * `string "nistp256", string Q (uncompressed point)`; then `string application`.
 */
export function parseSkBlob(blob: Buffer): SkPublicKey | Error {
  const r = new WireReader(blob);
  const type = r.string();
  if (type === SK_ED25519) {
    const pk = r.bytes();
    const application = r.string();
    if (!pk || pk.length !== 32 || application === undefined || r.remaining !== 0) return new Error('malformed sk-ssh-ed25519 key');
    return { kind: 'sk', type, publicKey: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: pk.toString('base64url') }, format: 'jwk' }), application };
  }
  if (type === SK_ECDSA) {
    const curve = r.string();
    const q = r.bytes();
    const application = r.string();
    if (curve !== 'nistp256' || !q || q.length !== 65 || q[0] !== 4 || application === undefined || r.remaining !== 0) {
      return new Error('malformed sk-ecdsa-sha2-nistp256 key');
    }
    const jwk = { kty: 'EC', crv: 'P-256', x: q.subarray(1, 33).toString('base64url'), y: q.subarray(33).toString('base64url') };
    try {
      return { kind: 'sk', type, publicKey: createPublicKey({ key: jwk, format: 'jwk' }), application };
    } catch (err) {
      return new Error(`bad sk-ecdsa point (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  return new Error(`not a security-key type: ${String(type)}`);
}

const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest();

/** mpint (big-endian, maybe a leading 0) → exactly `size` bytes. */
function fixedWidth(mpint: Buffer, size: number): Buffer | undefined {
  let n = mpint;
  while (n.length > size && n[0] === 0) n = n.subarray(1);
  if (n.length > size) return undefined;
  return Buffer.concat([Buffer.alloc(size - n.length), n]);
}

/**
 * `raw` is the signature as ssh2 hands it over: the algorithm name and the outer
 * length already stripped, i.e. the signature bytes, then byte flags, uint32 counter.
 */
export function verifySkSignature(key: SkPublicKey, data: Buffer, raw: Buffer): SkSignatureCheck {
  const invalid = { valid: false, flags: 0, counter: 0 };
  if (raw.length < 5) return invalid;
  const flags = raw[raw.length - 5]!;
  const counter = raw.readUInt32BE(raw.length - 4);
  const sig = raw.subarray(0, raw.length - 5);
  const tail = Buffer.alloc(5);
  tail[0] = flags;
  tail.writeUInt32BE(counter, 1);
  const message = Buffer.concat([sha256(Buffer.from(key.application, 'utf8')), tail, sha256(data)]);
  try {
    if (key.type === SK_ED25519) {
      return { valid: sig.length === 64 && verify(null, message, key.publicKey, sig), flags, counter };
    }
    const r = new WireReader(sig);
    const rInt = r.bytes();
    const sInt = r.bytes();
    const r32 = rInt && fixedWidth(rInt, 32);
    const s32 = sInt && fixedWidth(sInt, 32);
    if (!r32 || !s32 || r.remaining !== 0) return invalid;
    const valid = verify('sha256', message, { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.concat([r32, s32]));
    return { valid, flags, counter };
  } catch {
    return invalid;
  }
}
