// head: the first lines (or bytes) of each input. Stops reading as soon as it has
// them and closes a piped stdin, so the writer upstream ends (`cat /dev/zero | head`).
import type { BuiltinContext } from '../types.js';
import { BrokenPipe, write } from '../../os/index.js';
import { parseOptions } from '../options.js';
import { fileBuiltin, parseCount, reportPath, Aborted, UsageProblem, closeStdin, isStdin, lineBatches, operandChunks } from './fs/index.js';

/** `-5` is the historical spelling of `-n 5`. */
export function expandObsoleteCount(args: string[]): string[] {
  return args.map((arg, i) => (/^-\d+$/.test(arg) && (i === 0 || !/^-[nc]$/.test(args[i - 1]!)) ? `-n${arg.slice(1)}` : arg));
}

/** Copies the first `limit` lines or bytes of `chunks`; true when it stopped early. */
async function copyHead(chunks: AsyncGenerator<Buffer>, limit: number, bytes: boolean, ctx: BuiltinContext): Promise<boolean> {
  let left = limit;
  if (left === 0) {
    await chunks.return(undefined);
    return true;
  }
  for await (const chunk of chunks) {
    let end = chunk.length;
    if (bytes) {
      end = Math.min(left, chunk.length);
      left -= end;
    } else {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) {
        if (--left === 0) {
          end = i + 1;
          break;
        }
      }
    }
    await write(ctx.stdout, end === chunk.length ? chunk : chunk.subarray(0, end));
    if (left === 0) return true; // leaving the loop closes the file
  }
  return false;
}

/** `head -n -N` / `-c -N`: everything but the last N lines or bytes (GNU). Holds only N. */
async function copyAllBut(chunks: AsyncGenerator<Buffer>, keep: number, bytes: boolean, ctx: BuiltinContext): Promise<boolean> {
  if (bytes) {
    let held = Buffer.alloc(0);
    for await (const chunk of chunks) {
      held = Buffer.concat([held, chunk]);
      if (held.length > keep) {
        await write(ctx.stdout, held.subarray(0, held.length - keep));
        held = Buffer.from(held.subarray(held.length - keep));
      }
    }
    return false;
  }
  const held: Buffer[] = [];
  for await (const batch of lineBatches(chunks)) {
    for (const line of batch) {
      held.push(line);
      if (held.length > keep) await write(ctx.stdout, held.shift()!);
    }
  }
  return false;
}

async function main(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(expandObsoleteCount(args), {
    flags: 'qv',
    values: 'nc',
    long: { lines: true, bytes: true, quiet: false, silent: false, verbose: false },
  });
  const bytesText = opts.get('c') ?? opts.get('bytes');
  const linesText = opts.get('n') ?? opts.get('lines');
  const text = bytesText ?? linesText ?? '10';
  const allBut = text.startsWith('-');
  const limit = parseCount(allBut ? text.slice(1) : text);
  if (limit === undefined) throw new UsageProblem(`invalid number of ${bytesText !== undefined ? 'bytes' : 'lines'}: '${text}'`);
  const operands = opts.operands.length > 0 ? opts.operands : ['-'];
  const headers = opts.has('v') || opts.has('verbose') || (operands.length > 1 && !opts.has('q') && !opts.has('quiet') && !opts.has('silent'));
  let status = 0;
  let first = true;
  for (const operand of operands) {
    try {
      const chunks = operandChunks(ctx, operand);
      if (headers) {
        // Open before printing the header, so a missing file prints only its error.
        const firstChunk = await chunks.next();
        await write(ctx.stdout, `${first ? '' : '\n'}==> ${isStdin(operand) ? 'standard input' : operand} <==\n`);
        first = false;
        if (firstChunk.done) continue;
        const rest = prepend(firstChunk.value, chunks);
        const early = await (allBut ? copyAllBut : copyHead)(rest, limit, bytesText !== undefined, ctx);
        if (early && isStdin(operand)) closeStdin(ctx);
        continue;
      }
      const early = await (allBut ? copyAllBut : copyHead)(chunks, limit, bytesText !== undefined, ctx);
      if (early && isStdin(operand)) closeStdin(ctx);
    } catch (err) {
      if (err instanceof BrokenPipe || err instanceof Aborted) throw err;
      status = await reportPath(ctx, 'head', operand, err);
    }
  }
  return status;
}

async function* prepend(first: Buffer, rest: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  try {
    yield first;
    yield* rest;
  } finally {
    // A consumer that stops after `first` never reaches the yield*: end `rest` here, or
    // its file stays open until the garbage collector finds it.
    await rest.return(undefined);
  }
}

export const head = fileBuiltin({
  name: 'head',
  summary: 'print the first lines of files',
  usage: `Usage: head [-n N | -N] [-c N] [-qv] [FILE]...
Print the first 10 lines of each FILE (standard input when none, or for -).
With more than one FILE, precede each with a header giving its name.

  -n, --lines=N    print the first N lines (also -N); -n -N: all but the last N
  -c, --bytes=N    print the first N bytes (-c -N: all but the last N);
                   N may end in K, M, G (1024) or kB, MB (1000)
  -q, --quiet      never print headers
  -v, --verbose    always print headers`,
  main,
});
