// Thin I/O adapter for /proc and /sys: small files read with one open/read/close round
// trip each (callback fs API: /proc files report size 0, so fs.readFile would fstat and
// read twice more per file — that matters when `ps` reads thousands of them). Only for
// pseudo files: close is synchronous (see below).
import { close, open, read } from 'node:fs';

const CHUNK = 4096;
/** Below half of Buffer.poolSize, so allocUnsafe slices a shared pool (no GC churn per file). */
const SMALL_CHUNK = 2048;

export interface ReadOptions {
  /** Stop after this many bytes (default 1 MiB). */
  limit?: number;
  /**
   * Treat a short read as end of file. True for one-record files (`/proc/PID/stat`,
   * `cmdline`) where the kernel hands out everything it has in one read; saves a
   * thread-pool round trip per file on the `ps` hot path.
   */
  shortReadIsEof?: boolean;
  /** Read size; small files (stat, cmdline) use 2 KiB pooled buffers. */
  chunk?: number;
}

/** Reads a whole pseudo file; rejects with the fs error (ENOENT when a process vanished). */
export function readProcFile(path: string, options: ReadOptions = {}): Promise<string> {
  return readProcBytes(path, options).then((buf) => buf.toString('utf8'));
}

/** Same as readProcFile, as bytes (cmdline and environ hold NULs and arbitrary bytes). */
export function readProcBytes(path: string, options: ReadOptions = {}): Promise<Buffer> {
  const limit = options.limit ?? 1 << 20;
  const shortIsEof = options.shortReadIsEof ?? false;
  const size = options.chunk ?? (shortIsEof ? SMALL_CHUNK : CHUNK);
  return new Promise((resolve, reject) => {
    open(path, 'r', (openErr, fd) => {
      if (openErr) return reject(openErr);
      const chunks: Buffer[] = [];
      let total = 0;
      const finish = (err: Error | null): void => {
        // close(2) of a /proc or /sys descriptor never blocks (no disk, no flush), so the
        // result does not wait for it: waiting for a thread-pool hand-off per file would
        // be most of what `ps` spends on a two-core device. No synchronous call either
        // (test/house/no-sync-fs.test.ts): the close runs on the pool, its error ignored.
        close(fd, () => undefined);
        if (err) reject(err);
        else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
      };
      const next = (): void => {
        const buf = Buffer.allocUnsafe(size);
        read(fd, buf, 0, size, null, (readErr, n) => {
          if (readErr) return finish(readErr);
          if (n > 0) {
            chunks.push(n === size ? buf : buf.subarray(0, n));
            total += n;
          }
          if (n === 0 || total >= limit || (shortIsEof && n < size)) return finish(null);
          next();
        });
      };
      next();
    });
  });
}
