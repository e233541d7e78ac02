// What the shell writes to: a Writable in front of an SSH channel (or its stderr) that
// (1) never ends the channel — the session ends it after sending exit-status, and
// (2) fails pending and later writes with EPIPE once the channel is gone, so a shell
// writing to a vanished client gets a broken pipe instead of waiting forever (ssh2
// silently drops writes on a closed channel and never calls their callbacks).
import { Writable } from 'node:stream';

function epipe(): NodeJS.ErrnoException {
  return Object.assign(new Error('the SSH channel is closed'), { code: 'EPIPE' });
}

export class ChannelWriter extends Writable {
  private gone = false;
  private pendingCallback: ((err?: Error | null) => void) | undefined;
  private readonly onDrain = (): void => this.release();

  constructor(private readonly target: Writable) {
    super({ highWaterMark: 64 * 1024, decodeStrings: false });
    // A write after the client left fails that write's callback (EPIPE); it must
    // never become an unhandled 'error' event that takes the whole daemon down.
    this.on('error', () => undefined);
  }

  /** The channel closed: fail what is waiting and everything after. */
  markGone(): void {
    if (this.gone) return;
    this.gone = true;
    this.release(epipe());
    this.target.off('drain', this.onDrain);
  }

  get isGone(): boolean {
    return this.gone;
  }

  private release(err?: Error): void {
    const cb = this.pendingCallback;
    this.pendingCallback = undefined;
    cb?.(err);
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    if (this.gone) return callback(epipe());
    if (this.target.write(chunk)) return callback();
    this.pendingCallback = callback;
    this.target.once('drain', this.onDrain);
  }

  override _final(callback: (err?: Error | null) => void): void {
    callback();
  }
}

/** Resolves when everything written to `stream` has been handed on (or it is gone). */
export function drained(stream: Writable, gone: () => boolean): Promise<void> {
  if (stream.writableLength === 0 || gone()) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', check);
      stream.off('close', done);
      clearInterval(poll);
      resolve();
    };
    const check = (): void => {
      if (stream.writableLength === 0 || gone()) done();
    };
    stream.on('drain', check);
    stream.once('close', done);
    // 'drain' is not emitted if the buffer never exceeded the high-water mark.
    const poll = setInterval(check, 20);
  });
}
