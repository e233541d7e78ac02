// Writing an unencrypted ed25519 private key in OpenSSH's own format, so that the
// generated host key is readable by ssh2 (which parses this format) and by ssh-keygen.
// Layout from OpenSSH's PROTOCOL.key:
//   "openssh-key-v1\0" string ciphername("none") string kdfname("none") string kdfoptions("")
//   uint32 nkeys(1) string publickey string private-section
// private-section: uint32 check, uint32 check (equal), string keytype, string pub(32),
//   string priv(64 = seed || pub), string comment, padding 1 2 3 … to a multiple of 8.
import { randomBytes } from 'node:crypto';
import { sshString, sshUint32 } from './wire.js';

const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
const ED25519 = 'ssh-ed25519';

/** The wire blob of an ed25519 public key (RFC 8709 §4). */
export function ed25519PublicBlob(publicKey: Uint8Array): Buffer {
  return Buffer.concat([sshString(ED25519), sshString(publicKey)]);
}

/** `ssh-ed25519 AAAA… comment` as in a .pub file. */
export function ed25519PublicLine(publicKey: Uint8Array, comment = ''): string {
  const line = `${ED25519} ${ed25519PublicBlob(publicKey).toString('base64')}`;
  return comment ? `${line} ${comment}` : line;
}

/** PEM-armoured openssh-key-v1 text for a 32-byte seed and its 32-byte public key. */
export function encodeOpenSshEd25519(seed: Uint8Array, publicKey: Uint8Array, comment = ''): string {
  if (seed.length !== 32 || publicKey.length !== 32) throw new Error('ed25519 keys are 32 bytes');
  const check = randomBytes(4);
  const fields = Buffer.concat([
    check,
    check,
    sshString(ED25519),
    sshString(publicKey),
    sshString(Buffer.concat([seed, publicKey])),
    sshString(comment),
  ]);
  const padLen = (8 - (fields.length % 8)) % 8;
  const padding = Buffer.from(Array.from({ length: padLen }, (_, i) => i + 1));
  const body = Buffer.concat([
    MAGIC,
    sshString('none'),
    sshString('none'),
    sshString(''),
    sshUint32(1),
    sshString(ed25519PublicBlob(publicKey)),
    sshString(Buffer.concat([fields, padding])),
  ]);
  const base64 = body.toString('base64').replace(/.{1,70}/g, '$&\n');
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${base64}-----END OPENSSH PRIVATE KEY-----\n`;
}
