// tail: the last lines (or bytes) of each input, or everything from line/byte +N.
// A regular file is read backwards from its end (never whole); a pipe keeps only the
// last N lines. `-f` then polls the file for growth until ^C (ctx.signal).
import type { OpenFile } from '../files/index.js';
import type { BuiltinContext } from '../types.js';
import { BrokenPipe, write } from '../../os/index.js';
import { fail } from './io.js';
import { parseOptions } from '../options.js';
import { fileBuiltin, parseCount, reportPath, Aborted, UsageProblem, throwIfAborted, CHUNK_SIZE, LineTooLong, MAX_LINE, handleChunks, isStdin, streamChunks } from './fs/index.js';

export interface TailSpec {
  count: number;
  bytes: boolean;
  /** `+N`: output starts at line/byte N instead of the last N. */
  fromStart: boolean;
}

/** `-5`, `+5`, `-5c` are the historical spellings of `-n 5`, `-n +5`, `-c 5`. */
export function expandObsoleteTail(args: string[]): string[] {
  const first = args[0];
  const m = first !== undefined ? /^([-+])(\d+)([cl]?)(f?)$/.exec(first) : null;
  if (!m) return args;
  const option = m[3] === 'c' ? '-c' : '-n';
  return [`${option}${m[1] === '+' ? '+' : ''}${m[2]}`, ...(m[4] ? ['-f'] : []), ...args.slice(1)];
}

export function parseTailCount(text: string, bytes: boolean): TailSpec {
  const fromStart = text.startsWith('+');
  const count = parseCount(text.replace(/^[+-]/, ''));
  if (count === undefined) throw new UsageProblem(`invalid number of ${bytes ? 'bytes' : 'lines'}: '${text}'`);
  return { count, bytes, fromStart };
}

/** Offset where the last `lines` lines of a file of `size` bytes start (reads backwards). */
async function lastLinesOffset(handle: OpenFile, size: number, lines: number, signal: AbortSignal): Promise<number> {
  if (lines === 0) return size;
  let remaining = lines;
  // The file's final newline ends the last line; it does not start a new one.
  let end = size - 1;
  const buffer = Buffer.allocUnsafe(CHUNK_SIZE);
  while (end > 0) {
    throwIfAborted(signal);
    const start = Math.max(0, end - CHUNK_SIZE);
    const { bytesRead } = await handle.read(buffer, 0, end - start, start);
    for (let i = bytesRead - 1; i >= 0; i--) {
      if (buffer[i] === 10 && --remaining === 0) return start + i + 1;
    }
    end = start;
  }
  return 0;
}

/** `+N` on a stream: skip the first N-1 lines (or bytes), copy the rest. */
async function copyFromStart(chunks: AsyncIterable<Buffer>, spec: TailSpec, ctx: BuiltinContext): Promise<void> {
  let skip = Math.max(0, spec.count - 1);
  for await (const chunk of chunks) {
    let start = 0;
    if (spec.bytes) {
      start = Math.min(skip, chunk.length);
      skip -= start;
    } else {
      while (skip > 0 && start < chunk.length) {
        const nl = chunk.indexOf(10, start);
        if (nl === -1) {
          start = chunk.length;
          break;
        }
        start = nl + 1;
        skip--;
      }
    }
    if (start < chunk.length) await write(ctx.stdout, chunk.subarray(start));
  }
}

function countNewlines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++;
  return n;
}

/** The trailing chunks of a stream that may still hold the last N lines (or bytes). */
class TailWindow {
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  private keptNewlines = 0;

  constructor(private readonly spec: TailSpec) {}

  add(chunk: Buffer): void {
    const { spec } = this;
    this.kept.push(chunk);
    this.keptBytes += chunk.length;
    if (!spec.bytes && this.keptBytes > MAX_LINE + spec.count * 4096 && this.keptNewlines <= spec.count) throw new LineTooLong();
    if (!spec.bytes) this.keptNewlines += countNewlines(chunk);
    this.dropUnneeded();
  }

  /** Drop whole leading chunks that can no longer be part of the answer. */
  private dropUnneeded(): void {
    const { spec } = this;
    while (this.kept.length > 1) {
      const head = this.kept[0]!;
      const needed = spec.bytes ? this.keptBytes - head.length < spec.count : this.keptNewlines - countNewlines(head) <= spec.count;
      if (needed) break;
      this.kept.shift();
      this.keptBytes -= head.length;
      if (!spec.bytes) this.keptNewlines -= countNewlines(head);
    }
  }

  /** The last N bytes, or the last N lines (a final newline does not start a line). */
  result(): Buffer {
    const all = Buffer.concat(this.kept);
    if (this.spec.bytes) return all.subarray(Math.max(0, all.length - this.spec.count));
    let remaining = this.spec.count;
    if (remaining === 0) return all.subarray(all.length);
    for (let i = all.length - 2; i >= 0; i--) {
      if (all[i] === 10 && --remaining === 0) return all.subarray(i + 1);
    }
    return all;
  }
}

/** Tail of a stream that cannot seek: keep only what may still be output. */
async function tailStream(chunks: AsyncIterable<Buffer>, spec: TailSpec, ctx: BuiltinContext): Promise<void> {
  if (spec.fromStart) return copyFromStart(chunks, spec, ctx);
  const window = new TailWindow(spec);
  for await (const chunk of chunks) window.add(chunk);
  const rest = window.result();
  // As before the split: bytes mode writes even an empty tail, lines mode only a non-empty one.
  if (spec.bytes || rest.length > 0) await write(ctx.stdout, rest);
}

/** Copies [from, EOF) of an open file; returns the new offset. */
async function copyFrom(handle: OpenFile, from: number, ctx: BuiltinContext): Promise<number> {
  let offset = from;
  for await (const chunk of handleChunks(handle, ctx.signal, from)) {
    offset += chunk.length;
    await write(ctx.stdout, chunk);
  }
  return offset;
}

interface Followed {
  name: string;
  path: string;
  offset: number;
}

async function tailFile(path: string, spec: TailSpec, ctx: BuiltinContext): Promise<number> {
  const handle = await ctx.fs.open(path, 'r');
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      await tailStream(handleChunks(handle, ctx.signal), spec, ctx);
      return 0;
    }
    let start: number;
    if (spec.fromStart) {
      if (spec.bytes) start = Math.max(0, spec.count - 1);
      else {
        await tailStream(handleChunks(handle, ctx.signal, 0), spec, ctx);
        return info.size;
      }
    } else if (spec.bytes) start = Math.max(0, info.size - spec.count);
    else start = await lastLinesOffset(handle, info.size, spec.count, ctx.signal);
    return await copyFrom(handle, start, ctx);
  } finally {
    await handle.close();
  }
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

/** `tail -f`: poll each file for growth (or truncation) until aborted. */
async function follow(files: Followed[], headers: boolean, intervalMs: number, ctx: BuiltinContext): Promise<never> {
  let current = files.at(-1);
  for (;;) {
    await sleep(intervalMs, ctx.signal);
    throwIfAborted(ctx.signal);
    for (const file of files) {
      const size = await ctx.fs.stat(file.path).then((s) => s.size, () => undefined);
      if (size === undefined || size === file.offset) continue;
      if (size < file.offset) {
        await fail(ctx.stderr, 'tail', `${file.name}: file truncated`);
        file.offset = 0;
      }
      if (headers && current !== file) await write(ctx.stdout, `\n==> ${file.name} <==\n`);
      current = file;
      const handle = await ctx.fs.open(file.path, 'r');
      try {
        file.offset = await copyFrom(handle, file.offset, ctx);
      } finally {
        await handle.close();
      }
    }
  }
}

async function main(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(expandObsoleteTail(args), {
    flags: 'fFqv',
    values: 'ncs',
    long: { lines: true, bytes: true, follow: false, quiet: false, silent: false, verbose: false, 'sleep-interval': true },
  });
  const bytesText = opts.get('c') ?? opts.get('bytes');
  const spec = parseTailCount(bytesText ?? opts.get('n') ?? opts.get('lines') ?? '10', bytesText !== undefined);
  const followFiles = opts.has('f') || opts.has('F') || opts.has('follow');
  const intervalText = opts.get('s') ?? opts.get('sleep-interval') ?? '0.25';
  const interval = Number(intervalText);
  if (!Number.isFinite(interval) || interval < 0) throw new UsageProblem(`invalid number of seconds: '${intervalText}'`);
  const operands = opts.operands.length > 0 ? opts.operands : ['-'];
  const headers = opts.has('v') || opts.has('verbose') || (operands.length > 1 && !opts.has('q') && !opts.has('quiet') && !opts.has('silent'));
  const followed: Followed[] = [];
  let status = 0;
  let first = true;
  for (const operand of operands) {
    try {
      if (headers) {
        await write(ctx.stdout, `${first ? '' : '\n'}==> ${isStdin(operand) ? 'standard input' : operand} <==\n`);
        first = false;
      }
      if (isStdin(operand)) {
        await tailStream(streamChunks(ctx.stdin, ctx.signal), spec, ctx);
        continue;
      }
      const path = ctx.resolve(operand);
      const offset = await tailFile(path, spec, ctx);
      if (followFiles) followed.push({ name: operand, path, offset: (await ctx.fs.stat(path)).isFile() ? offset : Infinity });
    } catch (err) {
      if (err instanceof BrokenPipe || err instanceof Aborted) throw err;
      status = await reportPath(ctx, 'tail', operand, err);
    }
  }
  const regular = followed.filter((f) => f.offset !== Infinity);
  if (followFiles && regular.length > 0) await follow(regular, headers, Math.max(10, interval * 1000), ctx);
  return status;
}

export const tail = fileBuiltin({
  name: 'tail',
  summary: 'print the last lines of files; -f follows growth',
  usage: `Usage: tail [-n [+]N | -N] [-c [+]N] [-f] [-s SECONDS] [-qv] [FILE]...
Print the last 10 lines of each FILE (standard input when none, or for -).

  -n, --lines=N     the last N lines; +N starts at line N instead
  -c, --bytes=N     the last N bytes; +N starts at byte N (K, M, G suffixes)
  -f, --follow      keep printing what is appended to the files until ^C;
                    a truncated file is followed from its new start
  -s SECONDS        how often -f checks the files (default 0.25)
  -q, --quiet       never print headers
  -v, --verbose     always print headers`,
  main,
});
