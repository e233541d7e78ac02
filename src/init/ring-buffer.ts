// A service's stdout or stderr as gokrazy keeps it: the last N complete lines, plus
// subscribers that see every new line as it arrives (the web UI's live log view, SSE,
// `logs -f`). Bytes are split on \n; a partial last line waits for its newline (or
// flush() when the process exits).
//
// Unlike gokrazy we also keep the first lines of the current run (its "head"): a
// server's startup lines (breakglassd's host key, which the client pins) must not
// scroll away behind its audit log. snapshot() returns the head lines that fell out
// of the ring, then the ring, each line once, in order.
//
// A service's two rings share one LineCounter, so their lines can be merged back in
// the order they arrived (`logs` shows both streams by default).

export type LineListener = (line: string) => void;

export interface NumberedLine {
  seq: number;
  line: string;
}

/** Numbers lines across the rings that share it. */
export class LineCounter {
  private value = 0;
  next(): number {
    return this.value++;
  }
}

export class LineRing {
  private readonly lines: NumberedLine[] = [];
  private head: NumberedLine[] = [];
  private remainder = '';
  private readonly listeners = new Set<LineListener>();

  constructor(
    readonly capacity = 100,
    readonly headCapacity = 20,
    private readonly counter = new LineCounter(),
  ) {}

  /** A new run of the service begins: its first lines become the head. */
  markStart(): void {
    this.head = [];
  }

  write(chunk: string | Buffer): void {
    const text = this.remainder + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    const parts = text.split('\n');
    this.remainder = parts.pop()!;
    for (const line of parts) this.push(line.replace(/\r$/, ''));
    // A runaway line without newline must not grow without bound.
    if (this.remainder.length > 64 * 1024) this.flush();
  }

  /** Ends a partial last line (the process exited without a trailing newline). */
  flush(): void {
    if (this.remainder === '') return;
    const line = this.remainder;
    this.remainder = '';
    this.push(line);
  }

  private push(line: string): void {
    const entry = { seq: this.counter.next(), line };
    this.lines.push(entry);
    if (this.lines.length > this.capacity) this.lines.shift();
    if (this.head.length < this.headCapacity) this.head.push(entry);
    for (const listener of this.listeners) listener(line);
  }

  snapshot(): string[] {
    return this.numbered().map((e) => e.line);
  }

  /** snapshot() with each line's number, to merge with the rings sharing the counter. */
  numbered(): NumberedLine[] {
    const firstInRing = this.lines[0]?.seq ?? Infinity;
    return [...this.head.filter((e) => e.seq < firstInRing), ...this.lines];
  }

  last(): string | undefined {
    return this.lines.at(-1)?.line;
  }

  /** Calls listener for every future line; returns the unsubscribe function. */
  subscribe(listener: LineListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
