// readChunk / whenReadable on real streams: chunks come as written, the end and an error
// are told apart, an abort ends the wait, and nothing is left listening afterwards.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readChunk, whenReadable } from './stream.js';

function listeners(stream: PassThrough): number {
  return ['readable', 'end', 'close', 'error'].reduce((n, event) => n + stream.listenerCount(event), 0);
}

describe('readChunk', () => {
  it('waits for each chunk, then null at the end', async () => {
    const stream = new PassThrough();
    const first = readChunk(stream);
    stream.write('one');
    expect((await first)?.toString()).toBe('one');
    const second = readChunk(stream);
    stream.end('two');
    expect((await second)?.toString()).toBe('two');
    expect(await readChunk(stream)).toBeNull();
  });

  it('leaves the stream usable: what a first reader did not take, a second one gets', async () => {
    const stream = new PassThrough();
    stream.write('a');
    expect((await readChunk(stream))?.toString()).toBe('a');
    expect(stream.destroyed).toBe(false);
    stream.end('b');
    expect((await readChunk(stream))?.toString()).toBe('b');
    expect(listeners(stream)).toBe(0);
  });

  it('throws the error of a stream that failed, while waiting or already failed', async () => {
    const stream = new PassThrough();
    const pending = readChunk(stream);
    stream.destroy(new Error('channel reset'));
    await expect(pending).rejects.toThrow('channel reset');
    await expect(readChunk(stream)).rejects.toThrow('channel reset');
  });

  it('a stream closed without an end or error counts as ended', async () => {
    const stream = new PassThrough();
    const pending = readChunk(stream);
    stream.destroy();
    expect(await pending).toBeNull();
  });

  it('an abort ends the wait with null and reads nothing more', async () => {
    const stream = new PassThrough();
    const abort = new AbortController();
    const pending = readChunk(stream, abort.signal);
    abort.abort();
    expect(await pending).toBeNull();
    expect(listeners(stream)).toBe(0);
    stream.end('kept');
    expect(await readChunk(stream, abort.signal)).toBeNull();
    expect((await readChunk(stream))?.toString()).toBe('kept');
  });
});

describe('whenReadable', () => {
  it('removes its listeners once woken', async () => {
    const stream = new PassThrough();
    const before = listeners(stream);
    const woken = whenReadable(stream);
    expect(listeners(stream)).toBeGreaterThan(before);
    stream.write('x');
    await woken;
    expect(listeners(stream)).toBe(before);
  });
});
