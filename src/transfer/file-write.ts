// Copies chunks into a file with batched positional writes: one pwritev per ~1 MiB
// instead of one write per network/tar chunk.
import type { FileHandle } from 'node:fs/promises';

const WRITE_BATCH = 1024 * 1024;

/** Writes every chunk at `start` onwards; resolves with the number of bytes written. */
export async function writeChunks(handle: FileHandle, chunks: AsyncIterable<unknown> | Iterable<unknown>, start = 0): Promise<number> {
  let batch: Buffer[] = [];
  let batchBytes = 0;
  let position = start;
  const flush = async (): Promise<void> => {
    if (batchBytes === 0) return;
    let rest = batch;
    let remaining = batchBytes;
    while (remaining > 0) {
      const { bytesWritten } = await handle.writev(rest, position);
      if (bytesWritten === 0) throw Object.assign(new Error('write made no progress (disk full?)'), { code: 'EIO' });
      position += bytesWritten;
      remaining -= bytesWritten;
      if (remaining > 0) rest = dropBytes(rest, bytesWritten);
    }
    batch = [];
    batchBytes = 0;
  };
  for await (const chunk of chunks) {
    const buf = chunk as Buffer;
    if (buf.length === 0) continue;
    batch.push(buf);
    batchBytes += buf.length;
    if (batchBytes >= WRITE_BATCH) await flush();
  }
  await flush();
  return position - start;
}

function dropBytes(buffers: Buffer[], count: number): Buffer[] {
  const out: Buffer[] = [];
  let skip = count;
  for (const b of buffers) {
    if (skip >= b.length) {
      skip -= b.length;
      continue;
    }
    out.push(skip ? b.subarray(skip) : b);
    skip = 0;
  }
  return out;
}
