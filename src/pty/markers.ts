// The program on the pty is started by a one-shot busybox ash script (see
// busybox-pty.ts) that brackets it with two private OSC sequences carrying a random
// token: `ESC ] 777 ; TOKEN ; start BEL` before the program and
// `ESC ] 777 ; TOKEN ; STATUS BEL` after it. The filter drops everything before the
// start mark (ash's banner) and everything from the exit mark on, and reports the
// status. Pure: no I/O. A program cannot fake the exit mark without knowing the token.

export interface FilterResult {
  /** Bytes to show on the user's terminal. */
  data: Buffer;
  /** The program's exit status, once its mark has been seen. */
  status?: number;
}

export function startMark(token: string): string {
  return `\x1b]777;${token};start\x07`;
}

export class MarkerFilter {
  private readonly start: Buffer;
  private readonly exitPrefix: Buffer;
  private started = false;
  private done = false;
  private pending: Buffer = Buffer.alloc(0);

  constructor(token: string) {
    this.start = Buffer.from(startMark(token));
    this.exitPrefix = Buffer.from(`\x1b]777;${token};`);
  }

  push(chunk: Buffer): FilterResult {
    if (this.done) return { data: Buffer.alloc(0) };
    let buffer: Buffer = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    if (!this.started) {
      const at = buffer.indexOf(this.start);
      if (at < 0) {
        this.pending = keepPossiblePrefix(buffer, this.start.length);
        return { data: Buffer.alloc(0) };
      }
      this.started = true;
      buffer = buffer.subarray(at + this.start.length);
    }
    const at = buffer.indexOf(this.exitPrefix);
    if (at >= 0) {
      const end = buffer.indexOf(0x07, at + this.exitPrefix.length);
      if (end >= 0) {
        this.done = true;
        const status = Number(buffer.subarray(at + this.exitPrefix.length, end).toString());
        return { data: buffer.subarray(0, at), status: Number.isInteger(status) ? status : undefined };
      }
      // The mark is cut between chunks: hold it back.
      this.pending = buffer.subarray(at);
      return { data: buffer.subarray(0, at) };
    }
    // Hold back a tail that could be the start of the exit mark.
    const tail = keepPossiblePrefix(buffer, this.exitPrefix.length, this.exitPrefix);
    this.pending = tail;
    return { data: buffer.subarray(0, buffer.length - tail.length) };
  }
}

/** The longest tail of `buffer` (shorter than `length`) that starts with ESC and could still grow into `mark`. */
function keepPossiblePrefix(buffer: Buffer, length: number, mark?: Buffer): Buffer {
  const from = Math.max(0, buffer.length - length + 1);
  for (let i = from; i < buffer.length; i++) {
    if (buffer[i] !== 0x1b) continue;
    const tail = buffer.subarray(i);
    if (!mark || mark.subarray(0, tail.length).equals(tail)) return Buffer.from(tail);
  }
  return mark ? Buffer.alloc(0) : Buffer.from(buffer.subarray(from));
}
