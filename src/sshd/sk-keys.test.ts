import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decidePublicKey } from './authorize.js';
import { parseAuthorizedKeys } from './authorized-keys.js';
import { parseSkBlob, SK_ECDSA, SK_ED25519, verifySkSignature } from './sk-keys.js';
import { fingerprintOf, sshString, sshUint32 } from './wire.js';

// A software stand-in for a FIDO authenticator, following OpenSSH's PROTOCOL.u2f.
function fakeAuthenticator(type: typeof SK_ED25519 | typeof SK_ECDSA, application = 'ssh:') {
  const pair =
    type === SK_ED25519 ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = pair.publicKey.export({ format: 'jwk' });
  const blob =
    type === SK_ED25519
      ? Buffer.concat([sshString(type), sshString(Buffer.from(jwk.x!, 'base64url')), sshString(application)])
      : Buffer.concat([
          sshString(type),
          sshString('nistp256'),
          sshString(Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')])),
          sshString(application),
        ]);
  const signRaw = (data: Buffer, flags: number, counter = 7, key: KeyObject = pair.privateKey): Buffer => {
    const tail = Buffer.concat([Buffer.from([flags]), sshUint32(counter)]);
    const sha = (b: Buffer): Buffer => createHash('sha256').update(b).digest();
    const message = Buffer.concat([sha(Buffer.from(application)), tail, sha(data)]);
    if (type === SK_ED25519) return Buffer.concat([sign(null, message, key), tail]);
    const p1363 = sign('sha256', message, { key, dsaEncoding: 'ieee-p1363' });
    // mpint: a leading zero when the top bit is set (RFC 4251 §5).
    const mpint = (b: Buffer): Buffer => sshString(b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
    return Buffer.concat([mpint(p1363.subarray(0, 32)), mpint(p1363.subarray(32)), tail]);
  };
  return { blob, line: `${type} ${blob.toString('base64')} yubikey`, signRaw };
}

const data = Buffer.from('session id || userauth request');

describe.each([SK_ED25519, SK_ECDSA] as const)('%s', (type) => {
  const auth = fakeAuthenticator(type);
  const other = fakeAuthenticator(type);

  it('parses from authorized_keys with the ssh-keygen fingerprint of its blob', () => {
    const { keys, warnings } = parseAuthorizedKeys(`${auth.line}\n`);
    expect(warnings).toEqual([]);
    expect(keys[0]).toMatchObject({ type, comment: 'yubikey', fingerprint: fingerprintOf(auth.blob) });
  });

  it('verifies a touched signature; refuses a forged one and an untouched one', () => {
    const key = parseSkBlob(auth.blob);
    if (key instanceof Error) throw key;
    expect(verifySkSignature(key, data, auth.signRaw(data, 0x01))).toEqual({ valid: true, flags: 1, counter: 7 });
    expect(verifySkSignature(key, data, other.signRaw(data, 0x01)).valid).toBe(false);
    expect(verifySkSignature(key, Buffer.from('other data'), auth.signRaw(data, 0x01)).valid).toBe(false);
  });

  it('requires a touch unless no-touch-required; verify-required needs the UV flag', () => {
    const attempt = (flags: number) => ({ keyType: type, keyBlob: auth.blob, hashAlgo: undefined, signature: { data, signature: auth.signRaw(data, flags) } });
    const plain = parseAuthorizedKeys(auth.line).keys;
    expect(decidePublicKey(plain, attempt(0x01), '127.0.0.1')).toMatchObject({ ok: true });
    expect(decidePublicKey(plain, attempt(0x00), '127.0.0.1')).toMatchObject({ ok: false, reason: /not touched/ });
    expect(decidePublicKey(parseAuthorizedKeys(`no-touch-required ${auth.line}`).keys, attempt(0x00), '127.0.0.1')).toMatchObject({ ok: true });
    const verify = parseAuthorizedKeys(`verify-required ${auth.line}`).keys;
    expect(decidePublicKey(verify, attempt(0x01), '127.0.0.1')).toMatchObject({ ok: false, reason: /verify-required/ });
    expect(decidePublicKey(verify, attempt(0x05), '127.0.0.1')).toMatchObject({ ok: true });
  });
});

describe('parseSkBlob', () => {
  it.each([
    [Buffer.concat([sshString(SK_ED25519), sshString(Buffer.alloc(31)), sshString('ssh:')]), /malformed/],
    [Buffer.concat([sshString(SK_ECDSA), sshString('nistp384'), sshString(Buffer.alloc(65, 4)), sshString('ssh:')]), /malformed/],
    [Buffer.concat([sshString(SK_ED25519), sshString(Buffer.alloc(32))]), /malformed/],
  ])('refuses malformed blobs', (blob, message) => {
    expect(parseSkBlob(blob)).toBeInstanceOf(Error);
    expect(String(parseSkBlob(blob))).toMatch(message);
  });
});
