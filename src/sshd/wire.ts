// SSH wire encoding helpers (RFC 4251 §5): uint32 and length-prefixed strings, plus the
// fingerprint OpenSSH prints (`ssh-keygen -lf`: SHA256 of the key blob, base64 without
// padding).
import { createHash } from 'node:crypto';

export function sshUint32(n: number): Buffer {
  const buf = Buffer.allocUnsafe(4);
  buf.writeUInt32BE(n >>> 0, 0);
  return buf;
}

/** RFC 4251 `string`: uint32 length then the bytes. */
export function sshString(data: string | Uint8Array): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  return Buffer.concat([sshUint32(bytes.length), bytes]);
}

/** Reads consecutive wire fields from a buffer; every read returns undefined past the end. */
export class WireReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  uint32(): number | undefined {
    if (this.pos + 4 > this.buf.length) return undefined;
    const n = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return n;
  }

  byte(): number | undefined {
    if (this.pos + 1 > this.buf.length) return undefined;
    return this.buf[this.pos++];
  }

  bytes(): Buffer | undefined {
    const len = this.uint32();
    if (len === undefined || this.pos + len > this.buf.length) return undefined;
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  string(): string | undefined {
    return this.bytes()?.toString('utf8');
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }
}

/** `SHA256:…` as `ssh-keygen -lf` prints it. */
export function fingerprintOf(keyBlob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside a public key blob (its first string). */
export function blobKeyType(keyBlob: Buffer): string | undefined {
  return new WireReader(keyBlob).string();
}
