// Streaming input for the file built-ins: files are read chunk by chunk through a
// handle of the session's file system (never whole), stdin through the stream's own buffer without destroying it
// unless the built-in is done early (`head`), and every loop stops on ctx.signal.
import type { FileSystem, OpenFile } from '../../files/index.js';
import type { Readable } from 'node:stream';
import { readChunk } from '../../../os/index.js';
import type { BuiltinContext } from '../../types.js';
import { Aborted, throwIfAborted } from './guard.js';

export const CHUNK_SIZE = 256 * 1024;

/**
 * The longest line the line-oriented built-ins hold in memory. `grep x /dev/zero` must
 * fail, not take the whole server (every session) down with it.
 */
export const MAX_LINE = 64 * 1024 * 1024;

export class LineTooLong extends Error {
  override name = 'LineTooLong';
  constructor() {
    super(`line too long (over ${MAX_LINE / 1024 / 1024} MiB without a newline)`);
  }
}

/** Chunks of an open file from `position` (or the current offset when null). */
export async function* handleChunks(
  handle: OpenFile,
  signal: AbortSignal,
  position: number | null = null,
  chunkSize = CHUNK_SIZE,
): AsyncGenerator<Buffer> {
  let offset = position;
  for (;;) {
    throwIfAborted(signal);
    // A fresh buffer each time: the consumer may still hold the previous one (a
    // stream write in flight).
    const buffer = Buffer.allocUnsafe(chunkSize);
    const { bytesRead } = await handle.read(buffer, 0, chunkSize, offset);
    if (bytesRead === 0) return;
    if (offset !== null) offset += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

/** Chunks of a whole file; the handle is closed when the consumer stops. */
export async function* fileChunks(fs: FileSystem, path: string, signal: AbortSignal, position: number | null = null): AsyncGenerator<Buffer> {
  const handle = await fs.open(path, 'r');
  try {
    yield* handleChunks(handle, signal, position);
  } finally {
    await handle.close();
  }
}

/**
 * Chunks of a Readable, read with `read()` so that stopping early does not destroy it
 * (the session's stdin outlives one command). Rejects with Aborted on ctx.signal.
 */
export async function* streamChunks(stream: Readable, signal: AbortSignal): AsyncGenerator<Buffer> {
  for (;;) {
    throwIfAborted(signal);
    const chunk = await readChunk(stream, signal);
    if (chunk === null) {
      throwIfAborted(signal);
      return;
    }
    yield chunk;
  }
}

/** `-` (or no operand) is stdin, anything else a path resolved against the cwd. */
export function isStdin(operand: string): boolean {
  return operand === '-';
}

/** Chunks of one operand: stdin for `-`, else the file. */
export function operandChunks(ctx: BuiltinContext, operand: string, position: number | null = null): AsyncGenerator<Buffer> {
  return isStdin(operand) ? streamChunks(ctx.stdin, ctx.signal) : fileChunks(ctx.fs, ctx.resolve(operand), ctx.signal, position);
}

/**
 * The built-in will read no more of stdin (`head` got its lines): destroy it so the
 * writer upstream of the pipe gets EPIPE and stops, as with a real pipe closed by head.
 */
export function closeStdin(ctx: BuiltinContext): void {
  if (!ctx.stdin.destroyed) ctx.stdin.destroy();
}

/**
 * Splits chunks into lines (Buffers, each with its `\n` except perhaps the last),
 * yielded in batches — one array per chunk — so per-line work stays synchronous.
 */
export async function* lineBatches(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer[]> {
  // Pieces of a line that spans chunks; joined once, when its newline arrives.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of chunks) {
    const batch: Buffer[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl + 1);
      if (pending.length > 0) {
        pending.push(piece);
        batch.push(Buffer.concat(pending));
        pending = [];
        pendingBytes = 0;
      } else {
        batch.push(piece);
      }
      start = nl + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > MAX_LINE) throw new LineTooLong();
    }
    if (batch.length > 0) yield batch;
  }
  if (pending.length > 0) yield [Buffer.concat(pending)];
}

/** Lines one by one (see lineBatches). */
export async function* splitLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const batch of lineBatches(chunks)) yield* batch;
}

export { Aborted };
