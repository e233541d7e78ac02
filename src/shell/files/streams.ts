// Streams over an OpenFile, for redirects and built-ins that pipe: every read and write
// is one awaited call on the handle, so a slow file delays only its own stream.
import { Readable, Writable } from 'node:stream';
import type { OpenFile } from './file-system.js';

const CHUNK = 64 * 1024;

/** Reads the file from its current offset (or `start`) until end of file; never closes it. */
export function openFileReadable(file: OpenFile, start: number | null = null): Readable {
  let position = start;
  return new Readable({
    read(size) {
      const buffer = Buffer.allocUnsafe(Math.max(size, CHUNK));
      file.read(buffer, 0, buffer.length, position).then(
        ({ bytesRead }) => {
          if (bytesRead === 0) return void this.push(null);
          if (position !== null) position += bytesRead;
          this.push(buffer.subarray(0, bytesRead));
        },
        (err: Error) => this.destroy(err),
      );
    },
  });
}

/** Writes at the file's current offset (append files append); never closes it. */
export function openFileWritable(file: OpenFile): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writeToOpenFile(file, chunk).then(() => callback(), callback);
    },
  });
}

/** Writes all of `chunk` at the file's current offset (a write may be short). */
export async function writeToOpenFile(file: OpenFile, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await file.write(chunk, offset, chunk.length - offset, null);
    offset += bytesWritten;
  }
}
