// The byte side of an archive upload: hash what arrives (the manifest's sha256 is of
// the archive as sent), gunzip when it starts with the gzip magic (RFC 1952 §2.3.1,
// whatever the name says), and cap the decompressed size so a gzip bomb is stopped
// by bytes counted, not by the disk filling up.
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { Readable, TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { readChunk } from '../../os/index.js';
import { ToolboxError } from './errors.js';

const GZIP_MAGIC = [0x1f, 0x8b];
/** Big zlib output chunks: fewer, larger writes downstream. */
const GUNZIP_CHUNK = 256 * 1024;

/** Passes bytes through while hashing and counting them. */
export class HashTap extends Transform {
  readonly hash: Hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

/** Fails once more than `limit` bytes went through. */
export class ByteLimit extends Transform {
  bytes = 0;
  constructor(
    private readonly limit: number,
    private readonly describe: (limit: number) => string,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) return callback(new ToolboxError(this.describe(this.limit), { limit: this.limit }));
    callback(null, chunk);
  }
}

/** Waits for the first chunk and puts it back; null when the stream is empty. */
export async function peekFirstChunk(input: Readable): Promise<Buffer | null> {
  const chunk = await readChunk(input);
  if (chunk) input.unshift(chunk);
  return chunk;
}

export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
}

export function gunzipStream(): Transform {
  return createGunzip({ chunkSize: GUNZIP_CHUNK });
}
