// Stdin for exec-mode commands: each foreground pipeline gets a Readable that pulls
// from the channel only as fast as the command reads, so bytes a command does not read
// stay for the next one (`echo a; cat` still sees all of stdin), as with a real fd.
import { Readable } from 'node:stream';

export class ChannelInput {
  private ended = false;
  private current: Readable | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly source: Readable) {
    source.on('end', () => {
      this.ended = true;
      this.wake?.();
    });
    source.on('close', () => {
      this.ended = true;
      this.wake?.();
    });
    source.on('error', () => {
      this.ended = true;
      this.wake?.();
    });
    source.on('readable', () => this.wake?.());
  }

  /** A reader for the next command; the previous one stops pulling. */
  open(): Readable {
    this.current?.destroy();
    const reader: Readable = new Readable({
      read: (): void => {
        this.pull(reader);
      },
      destroy: (err, callback): void => {
        if (this.current === reader) {
          this.current = undefined;
          this.wake = undefined;
        }
        callback(err);
      },
    });
    reader.on('error', () => undefined);
    this.current = reader;
    return reader;
  }

  private pull(reader: Readable): void {
    if (reader.destroyed) return;
    const chunk: unknown = this.source.readableEnded ? null : this.source.read();
    if (chunk !== null) {
      this.wake = undefined;
      reader.push(chunk);
      return;
    }
    if (this.ended || this.source.readableEnded || this.source.destroyed) {
      this.wake = undefined;
      reader.push(null);
      return;
    }
    this.wake = (): void => {
      this.wake = undefined;
      this.pull(reader);
    };
  }
}
