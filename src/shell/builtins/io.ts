// Output helpers for built-ins: respect backpressure (never buffer a whole output) and
// turn a closed reader (`ps | head -1`) into BrokenPipe, which the interpreter maps to
// exit status 141 (128 + SIGPIPE) as sh does.
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

/** Standard `NAME: message` error line on stderr; returns the exit code for chaining. */
export async function fail(stderr: Writable, name: string, message: string, code = 1): Promise<number> {
  await write(stderr, `${name}: ${message}\n`).catch(() => undefined);
  return code;
}

/** `NAME: missing WHAT` for a command run without its required operand: a usage error, exit 2. */
export function failMissing(stderr: Writable, name: string, what = 'operand'): Promise<number> {
  return fail(stderr, name, `missing ${what}`, 2);
}
