// Stream helpers: respect backpressure (never buffer a whole output), turn a closed
// reader (`ps | head -1`, a closed scp channel) into BrokenPipe, which the shell's
// interpreter maps to exit status 141 (128 + SIGPIPE) as sh does, and read a chunk at a
// time with read() so that stopping early leaves the stream usable (the session's stdin
// outlives one command; an upload's first chunk is put back after a look at it).
import type { Readable, Writable } from 'node:stream';

export class BrokenPipe extends Error {
  override name = 'BrokenPipe';
}

/** Writes one chunk; waits for 'drain' when the reader is slower. */
export function write(stream: Writable, chunk: string | Uint8Array): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.reject(new BrokenPipe('write after close'));
  return new Promise((resolve, reject) => {
    const onError = (): void => {
      cleanup();
      reject(new BrokenPipe('reader went away'));
    };
    const onDrain = (): void => {
      cleanup();
      resolve();
    };
    const cleanup = (): void => {
      stream.off('error', onError);
      stream.off('drain', onDrain);
      stream.off('close', onError);
    };
    stream.once('error', onError);
    stream.once('close', onError);
    if (stream.write(chunk)) {
      cleanup();
      resolve();
    } else {
      stream.once('drain', onDrain);
    }
  });
}

/** Writes lines one by one (streaming), each with a trailing newline. */
export async function writeLines(stream: Writable, lines: Iterable<string> | AsyncIterable<string>): Promise<void> {
  for await (const line of lines) await write(stream, `${line}\n`);
}

/** Reads a whole (small) stream into a Buffer, e.g. stdin for `sha256sum -`. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

const WAKE_EVENTS = ['readable', 'end', 'close'] as const;

/**
 * Waits until `stream` has something for read() or has ended or closed; rejects with its
 * error. An abort of `signal` ends the wait as well (the caller looks at the signal).
 */
export function whenReadable(stream: Readable, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const stopListening = (): void => {
      for (const event of WAKE_EVENTS) stream.off(event, wake);
      stream.off('error', fail);
      signal?.removeEventListener('abort', wake);
    };
    const wake = (): void => {
      stopListening();
      resolve();
    };
    const fail = (err: Error): void => {
      stopListening();
      reject(err);
    };
    for (const event of WAKE_EVENTS) stream.on(event, wake);
    stream.on('error', fail);
    signal?.addEventListener('abort', wake);
  });
}

/**
 * The next chunk of `stream`, waiting for one; null once it ended (a stream that failed
 * throws its error instead). Returns null as well when `signal` is aborted, before reading
 * anything more: the caller tells that from the end by its signal.
 */
export async function readChunk(stream: Readable, signal?: AbortSignal): Promise<Buffer | null> {
  for (;;) {
    if (signal?.aborted) return null;
    const chunk: unknown = stream.read();
    if (chunk !== null) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      if (buffer.length > 0) return buffer;
      continue;
    }
    if (stream.readableEnded || stream.destroyed) {
      if (stream.errored) throw stream.errored;
      return null;
    }
    await whenReadable(stream, signal);
  }
}
