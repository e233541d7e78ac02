// Parse errors carry the offset of the offending construct; the message names it and,
// for valid sh that this shell does not implement, points at the toolbox's real `sh`.

export class ParseError extends Error {
  override name = 'ParseError';
  constructor(
    message: string,
    /** 0-based offset into the source. */
    readonly pos: number,
    /** 1-based line and column of pos. */
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }

  /** `1:5: message`, as printed after the shell's name. */
  describe(): string {
    return `${this.line}:${this.column}: ${this.message}`;
  }
}

export function lineColumn(source: string, pos: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < pos && i < source.length; i++) {
    if (source[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, column: pos - start + 1 };
}

/** Single-quotes a string for sh (`'` becomes `'\''`). */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** What to tell the user about syntax this shell leaves to the toolbox's sh. */
export function unsupported(source: string, pos: number, construct: string, plural = false): ParseError {
  const { line, column } = lineColumn(source, pos);
  const verb = plural ? 'are' : 'is';
  const message = `${construct} ${verb} not supported by the breakglass shell; run the toolbox's sh: sh -c ${shellQuote(source.trim())}`;
  return new ParseError(message, pos, line, column);
}

export function syntaxError(source: string, pos: number, message: string): ParseError {
  const { line, column } = lineColumn(source, pos);
  return new ParseError(`syntax error: ${message}`, pos, line, column);
}
