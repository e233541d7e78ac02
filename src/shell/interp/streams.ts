// Stream plumbing between commands. A relay moves bytes with backpressure and, when the
// reader goes away, destroys the source so the writer sees EPIPE (an external dies of
// SIGPIPE, a built-in's write() rejects with BrokenPipe) — the way a pipeline ends in sh.
import { PassThrough, Readable, Writable } from 'node:stream';

/** Copies src into dst until src ends or dst closes. Resolves in both cases, never rejects. */
export function relay(src: Readable, dst: Writable, options: { end: boolean; onReaderGone?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    let finished = false;
    // Many relays may share one reader (every stage's stderr goes to the session's): each
    // adds three listeners and removes them when done, so raise the leak warning's limit
    // by one per relay instead of warning about a long pipeline.
    const limit = (by: number): void => {
      if (dst.getMaxListeners() !== 0) dst.setMaxListeners(dst.getMaxListeners() + by);
    };
    limit(1);
    const done = (): void => {
      if (finished) return;
      finished = true;
      limit(-1);
      src.off('data', onData);
      src.off('end', onEnd);
      src.off('error', onSrcGone);
      src.off('close', onSrcGone);
      dst.off('drain', onDrain);
      dst.off('error', onDstGone);
      dst.off('close', onDstGone);
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      if (dst.destroyed || dst.writableEnded) return onDstGone();
      if (!dst.write(chunk)) src.pause();
    };
    const onDrain = (): void => {
      src.resume();
    };
    const onEnd = (): void => {
      if (options.end && !dst.destroyed && !dst.writableEnded) dst.end();
      done();
    };
    const onSrcGone = (): void => {
      // Source failed or closed without 'end' (the process died): end the reader anyway.
      if (options.end && !dst.destroyed && !dst.writableEnded) dst.end();
      done();
    };
    const onDstGone = (): void => {
      if (finished) return;
      if (options.onReaderGone) {
        done();
        options.onReaderGone();
      } else {
        src.destroy();
        done();
      }
    };
    src.on('error', onSrcGone);
    src.on('close', onSrcGone);
    dst.on('error', onDstGone);
    dst.on('close', onDstGone);
    if (dst.destroyed || dst.writableEnded) return onDstGone();
    src.on('end', onEnd);
    dst.on('drain', onDrain);
    src.on('data', onData);
    src.resume();
  });
}

/** A Writable that forwards to target with its backpressure, but never ends or destroys it. */
export function nonClosing(target: Writable): Writable {
  const proxy = new Writable({
    write(chunk: Buffer, _encoding, callback): void {
      if (target.destroyed || target.writableEnded) return callback(new Error('EPIPE: the terminal went away'));
      if (target.write(chunk)) return callback();
      const onDrain = (): void => {
        target.off('close', onClose);
        callback();
      };
      const onClose = (): void => {
        target.off('drain', onDrain);
        callback(new Error('EPIPE: the terminal went away'));
      };
      target.once('drain', onDrain);
      target.once('close', onClose);
    },
  });
  proxy.on('error', () => undefined);
  return proxy;
}

/** Stdin that is already at end of file (`</dev/null`). */
export function emptyInput(): Readable {
  const r = new Readable({ read(): void {} });
  r.push(null);
  return r;
}

/** An in-process pipe between two commands of a pipeline; errors are expected and swallowed. */
export function pipe(): PassThrough {
  const p = new PassThrough();
  p.on('error', () => undefined);
  return p;
}

/**
 * A writer's reader went away. Our pipes are socketpairs (libuv), and closing one with
 * unread data gives the writer ECONNRESET instead of sh's SIGPIPE; so keep reading,
 * drop the data, and send SIGPIPE to the writer the next time it writes, as the kernel
 * would for a pipe. A writer that ignores SIGPIPE then sees the socket close.
 */
export function discardAndSigpipe(src: Readable, pid: number | undefined): void {
  while (src.read() !== null) {
    // Bytes written before the reader left: gone with it, as in a pipe.
  }
  let signalled = false;
  src.on('data', () => {
    if (signalled) return;
    signalled = true;
    try {
      if (pid !== undefined) process.kill(pid, 'SIGPIPE');
    } catch {
      // Already gone.
    }
    setTimeout(() => src.destroy(), 200).unref();
  });
  src.resume();
}
