// What the user types while a foreground job runs, after the line discipline: a queue
// the job's stdin pulls from only as fast as the job reads. What a job leaves unread
// (lines typed ahead during `sleep 5`) goes back to the prompt, as with a real tty.
// Externals read eagerly through their pipe, so for them type-ahead is theirs.
import { Readable } from 'node:stream';

export class TerminalInput {
  /** Typed bytes; `null` is an end-of-file (^D on an empty line). */
  private queue: Array<Buffer | null> = [];
  private active: Readable | undefined;
  private readonly hungry = new Set<Readable>();
  private ended = false;

  /** A stdin for one job; it receives input only while it is the active (foreground) one. */
  open(): Readable {
    const reader: Readable = new Readable({
      read: (): void => {
        this.hungry.add(reader);
        this.pump();
      },
      destroy: (err, callback): void => {
        this.hungry.delete(reader);
        if (this.active === reader) this.active = undefined;
        callback(err);
      },
    });
    reader.on('error', () => undefined);
    if (this.ended) reader.push(null);
    return reader;
  }

  /** The foreground job's stdin (undefined while the prompt is up). */
  activate(reader: Readable | undefined): void {
    this.active = reader;
    this.pump();
  }

  write(data: string | Buffer): void {
    this.queue.push(typeof data === 'string' ? Buffer.from(data) : data);
    this.pump();
  }

  /** ^D: end of file for the reader that is reading now. */
  end(): void {
    this.queue.push(null);
    this.pump();
  }

  /** The client closed its side: every reader, now and later, sees end of file. */
  close(): void {
    this.ended = true;
    this.queue.push(null);
    this.pump();
  }

  /** Unread typed text (end-of-file marks dropped), removed from the queue. */
  takeLeftover(): string {
    const text = Buffer.concat(this.queue.filter((b): b is Buffer => b !== null)).toString('utf8');
    this.queue = this.ended ? [null] : [];
    return text;
  }

  private pump(): void {
    const r = this.active;
    if (!r || r.destroyed || !this.hungry.has(r)) return;
    while (this.queue.length > 0) {
      const item = this.queue.shift()!;
      if (item === null) {
        this.hungry.delete(r);
        if (this.ended) this.queue.unshift(null);
        r.push(null);
        return;
      }
      if (!r.push(item)) {
        this.hungry.delete(r);
        return;
      }
    }
  }
}
