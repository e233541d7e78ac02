// A service's stdout or stderr as gokrazy keeps it: the last N complete lines, plus
// subscribers that see every new line as it arrives (the web UI's live log view, SSE,
// `logs -f`). Bytes are split on \n; a partial last line waits for its newline (or
// flush() when the process exits).

export type LineListener = (line: string) => void;

export class LineRing {
  private readonly lines: string[] = [];
  private remainder = '';
  private readonly listeners = new Set<LineListener>();

  constructor(readonly capacity = 100) {}

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
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.shift();
    for (const listener of this.listeners) listener(line);
  }

  snapshot(): string[] {
    return [...this.lines];
  }

  last(): string | undefined {
    return this.lines.at(-1);
  }

  /** Calls listener for every future line; returns the unsubscribe function. */
  subscribe(listener: LineListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
