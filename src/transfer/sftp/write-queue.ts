// Writes of one open file, in arrival order. Contiguous WRITE requests are joined
// into one pwritev (pipelined clients send many 32–255 KiB writes back to back), so
// the thread pool sees a few large writes instead of one per packet.
import type { FileHandle } from 'node:fs/promises';

export interface PendingWrite {
  offset: number;
  data: Buffer;
  done(err: unknown): void;
}

const MAX_BATCH_BYTES = 4 * 1024 * 1024;
const MAX_BATCH_ITEMS = 64;

export class WriteQueue {
  private queue: PendingWrite[] = [];
  private running = false;
  private idleWaiters: Array<() => void> = [];
  /** Bytes accepted but not yet written (for inbound backpressure). */
  queuedBytes = 0;
  bytesWritten = 0;
  failed = false;

  constructor(
    private readonly handle: FileHandle,
    /** O_APPEND: the kernel picks the offset; order is what matters. */
    private readonly append: boolean,
    private readonly onDrained: () => void,
  ) {}

  push(write: PendingWrite): void {
    this.queue.push(write);
    this.queuedBytes += write.data.length;
    if (!this.running) void this.pump();
  }

  /** Resolves once every queued write finished. */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private takeBatch(): PendingWrite[] {
    const batch = [this.queue.shift()!];
    let bytes = batch[0]!.data.length;
    let end = batch[0]!.offset + bytes;
    while (this.queue.length && batch.length < MAX_BATCH_ITEMS && bytes < MAX_BATCH_BYTES) {
      const next = this.queue[0]!;
      if (!this.append && next.offset !== end) break;
      batch.push(this.queue.shift()!);
      bytes += next.data.length;
      end += next.data.length;
    }
    return batch;
  }

  private async pump(): Promise<void> {
    this.running = true;
    while (this.queue.length) {
      const batch = this.takeBatch();
      let error: unknown;
      try {
        await this.writeAll(batch.map((w) => w.data), this.append ? null : batch[0]!.offset);
      } catch (err) {
        error = err;
        this.failed = true;
      }
      for (const w of batch) {
        this.queuedBytes -= w.data.length;
        if (!error) this.bytesWritten += w.data.length;
        w.done(error);
      }
      this.onDrained();
    }
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** pwritev until everything is written (a regular file rarely writes short). */
  private async writeAll(buffers: Buffer[], position: number | null): Promise<void> {
    let rest = buffers;
    let pos = position;
    while (rest.length) {
      const total = rest.reduce((n, b) => n + b.length, 0);
      const { bytesWritten } = await this.handle.writev(rest, pos ?? undefined);
      if (bytesWritten === total) return;
      if (bytesWritten === 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
      if (pos !== null) pos += bytesWritten;
      let skip = bytesWritten;
      const next: Buffer[] = [];
      for (const b of rest) {
        if (skip >= b.length) {
          skip -= b.length;
          continue;
        }
        next.push(skip ? b.subarray(skip) : b);
        skip = 0;
      }
      rest = next;
    }
  }
}
