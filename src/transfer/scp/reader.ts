// Pull-based reading of the scp control stream: lines, single status bytes, and
// exactly N bytes of file data handed on chunk by chunk (backpressure comes from
// pulling; nothing is buffered beyond the chunk at hand).
import type { Readable } from 'node:stream';

const MAX_LINE = 64 * 1024;

export class ScpEof extends Error {
  override name = 'ScpEof';
}

export class ByteReader {
  private readonly it: AsyncIterator<Buffer>;
  private buf: Buffer = Buffer.alloc(0);
  private ended = false;

  constructor(stream: Readable) {
    // Not stream[Symbol.asyncIterator](): that destroys the stream when iteration
    // ends, and on an SSH channel (a Duplex) that would also kill the reply side
    // before exit-status is sent.
    this.it = stream.iterator({ destroyOnReturn: false }) as AsyncIterator<Buffer>;
  }

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.it.next();
    if (next.done) {
      this.ended = true;
      return false;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    return true;
  }

  /** One line without its newline; null at a clean end of stream. */
  async line(): Promise<string | null> {
    for (;;) {
      const nl = this.buf.indexOf(0x0a);
      if (nl !== -1) {
        const text = this.buf.subarray(0, nl).toString('utf8');
        this.buf = this.buf.subarray(nl + 1);
        return text;
      }
      if (this.buf.length > MAX_LINE) throw new Error('scp: control line too long');
      if (!(await this.fill())) {
        if (this.buf.length) throw new ScpEof('connection closed in the middle of a record');
        return null;
      }
    }
  }

  /** One byte; null at end of stream. */
  async byte(): Promise<number | null> {
    if (this.buf.length === 0 && !(await this.fill())) return null;
    const b = this.buf[0]!;
    this.buf = this.buf.subarray(1);
    return b;
  }

  /** Exactly `n` bytes, as chunks; throws ScpEof when the stream ends early. */
  async *exactly(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.buf.length === 0 && !(await this.fill())) throw new ScpEof(`connection closed with ${left} of ${n} bytes missing`);
      const take = Math.min(left, this.buf.length);
      const chunk = this.buf.subarray(0, take);
      this.buf = this.buf.subarray(take);
      left -= take;
      yield chunk;
    }
  }

  /** Reads the peer's answer to something we sent: ok, or its error message. */
  async response(): Promise<{ ok: true } | { ok: false; fatal: boolean; message: string }> {
    const b = await this.byte();
    if (b === null) throw new ScpEof('connection closed while waiting for a response');
    if (b === 0) return { ok: true };
    if (b === 1 || b === 2) {
      const message = (await this.line()) ?? '';
      return { ok: false, fatal: b === 2, message };
    }
    // Anything else is a protocol error; report it with the rest of the line.
    const rest = (await this.line()) ?? '';
    return { ok: false, fatal: true, message: `protocol error: ${String.fromCharCode(b)}${rest}` };
  }
}
