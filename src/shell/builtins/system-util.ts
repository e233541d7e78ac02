// Shared plumbing of the system built-ins (ps, mount, df, …): `--help`, option errors in
// the GNU shape, a line writer that streams in modest chunks, and JSON array streaming.
import type { Writable } from 'node:stream';
import type { BuiltinContext } from '../types.js';
import { fail } from './io.js';
import { write } from '../../os/index.js';
import { OptionError, parseOptions } from '../options.js';
import type { OptionSpec, ParsedOptions } from '../options.js';

/**
 * Parses options; on `--help` prints usage (exit 0), on a bad option prints
 * `NAME: message` and a hint (exit 2). Returns the parsed options or the exit code.
 */
export async function parseOrExit(
  name: string,
  usage: string,
  args: readonly string[],
  spec: OptionSpec,
  ctx: BuiltinContext,
): Promise<ParsedOptions | number> {
  let parsed: ParsedOptions;
  try {
    parsed = parseOptions(args, spec);
  } catch (err) {
    if (err instanceof OptionError) return usageError(name, err.message, ctx);
    throw err;
  }
  if (parsed.has('help')) {
    await write(ctx.stdout, usage.endsWith('\n') ? usage : `${usage}\n`);
    return 0;
  }
  return parsed;
}

export function usageError(name: string, message: string, ctx: BuiltinContext): Promise<number> {
  return fail(ctx.stderr, name, `${message}\nTry '${name} --help' for more information.`, 2);
}

/**
 * Collects lines and writes them in chunks of about 16 KiB: output still streams (a
 * `ps | head -1` reader sees the first rows at once and a closed pipe stops the scan), but
 * a thousand rows cost a few writes instead of a thousand.
 */
export class LineWriter {
  private buffer = '';
  constructor(
    private readonly stream: Writable,
    private readonly chunk = 16 * 1024,
  ) {}

  async line(text: string): Promise<void> {
    this.buffer += `${text}\n`;
    if (this.buffer.length >= this.chunk) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer === '') return;
    const data = this.buffer;
    this.buffer = '';
    await write(this.stream, data);
  }
}

/** Streams a JSON array: one element per line, so huge lists never sit in memory. */
export class JsonArrayWriter {
  private count = 0;
  constructor(private readonly out: LineWriter) {}

  async item(value: unknown): Promise<void> {
    await this.out.line(`${this.count++ === 0 ? '[' : ','}${JSON.stringify(value)}`);
  }

  async end(): Promise<void> {
    await this.out.line(this.count === 0 ? '[]' : ']');
    await this.out.flush();
  }
}

/** Cuts a line to the terminal width (procps/top do so on a tty, unless told wide). */
export function clip(line: string, cols: number): string {
  return line.length > cols ? line.slice(0, cols) : line;
}
