// The program on the pty is started by a one-shot busybox ash script (see
// busybox-pty.ts) that brackets it with two private OSC sequences carrying a random
// token: `ESC ] 777 ; TOKEN ; start BEL` before the program and
// `ESC ] 777 ; TOKEN ; STATUS BEL` after it. The filter drops everything before the
// start mark (ash's banner), reports the status, and returns what follows the exit
// mark separately (keys typed ahead, which the script echoes back raw). Pure: no I/O. A program cannot fake the exit mark without knowing the token.

export interface FilterResult {
  /** Bytes to show on the user's terminal. */
  data: Buffer;
  /** The program's exit status, once its mark has been seen. */
  status?: number;
  /** How many times the program was stopped (^Z) in this chunk: `ESC ] 777 ; TOKEN ; stopped BEL`. */
  stops?: number;
  /** What came after the exit mark: the type-ahead the script hands back. */
  rest?: Buffer;
}

export function startMark(token: string): string {
  return `\x1b]777;${token};start\x07`;
}

export class MarkerFilter {
  private readonly start: Buffer;
  private readonly markPrefix: Buffer;
  started = false;
  private done = false;
  private pending: Buffer = Buffer.alloc(0);

  constructor(token: string) {
    this.start = Buffer.from(startMark(token));
    this.markPrefix = Buffer.from(`\x1b]777;${token};`);
  }

  push(chunk: Buffer): FilterResult {
    if (this.done) return { data: Buffer.alloc(0), rest: chunk };
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
    const shown: Buffer[] = [];
    let stops = 0;
    for (;;) {
      const at = buffer.indexOf(this.markPrefix);
      if (at < 0) break;
      const end = buffer.indexOf(0x07, at + this.markPrefix.length);
      if (end < 0) {
        // The mark is cut between chunks: hold it back.
        this.pending = Buffer.from(buffer.subarray(at));
        return { data: Buffer.concat([...shown, buffer.subarray(0, at)]), stops };
      }
      shown.push(buffer.subarray(0, at));
      const word = buffer.subarray(at + this.markPrefix.length, end).toString();
      buffer = buffer.subarray(end + 1);
      if (word === 'stopped') {
        stops++;
        continue;
      }
      this.done = true;
      const status = Number(word);
      return { data: Buffer.concat(shown), stops, status: Number.isInteger(status) ? status : undefined, rest: buffer };
    }
    // Hold back a tail that could be the start of a mark.
    const tail = keepPossiblePrefix(buffer, this.markPrefix.length, this.markPrefix);
    this.pending = tail;
    return { data: Buffer.concat([...shown, buffer.subarray(0, buffer.length - tail.length)]), stops };
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
