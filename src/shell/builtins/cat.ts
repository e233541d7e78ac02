// cat: concatenate files (or stdin) to stdout, byte for byte. Streams chunk by chunk
// with backpressure, so `cat /dev/zero | head -c 1M` ends when head closes the pipe.
import type { BuiltinContext } from '../types.js';
import { write } from './io.js';
import { parseOptions } from './options.js';
import { fileBuiltin, reportPath } from './fs/define.js';
import { Aborted } from './fs/guard.js';
import { BrokenPipe } from './io.js';
import { operandChunks } from './fs/input.js';

/** Line-numbering state carried across chunks and files (`cat -n a b` counts on). */
interface Numbering {
  line: number;
  atLineStart: boolean;
  nonBlankOnly: boolean;
}

/** Inserts `%6d\t` before each line (GNU cat -n / -b layout). */
export function numberChunk(chunk: Buffer, state: Numbering): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  while (start < chunk.length) {
    if (state.atLineStart) {
      const blank = chunk[start] === 10;
      if (!(blank && state.nonBlankOnly)) {
        state.line++;
        parts.push(Buffer.from(`${String(state.line).padStart(6)}\t`));
      }
      state.atLineStart = false;
    }
    const nl = chunk.indexOf(10, start);
    const end = nl === -1 ? chunk.length : nl + 1;
    parts.push(chunk.subarray(start, end));
    if (nl !== -1) state.atLineStart = true;
    start = end;
  }
  return Buffer.concat(parts);
}

async function main(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(args, { flags: 'nbu', long: { number: false, 'number-nonblank': false } });
  const numbering = opts.has('n') || opts.has('number') || opts.has('b') || opts.has('number-nonblank');
  const state: Numbering = { line: 0, atLineStart: true, nonBlankOnly: opts.has('b') || opts.has('number-nonblank') };
  const operands = opts.operands.length > 0 ? opts.operands : ['-'];
  let status = 0;
  for (const operand of operands) {
    try {
      for await (const chunk of operandChunks(ctx, operand)) {
        await write(ctx.stdout, numbering ? numberChunk(chunk, state) : chunk);
      }
    } catch (err) {
      if (err instanceof BrokenPipe || err instanceof Aborted) throw err;
      status = await reportPath(ctx, 'cat', operand, err);
    }
  }
  return status;
}

export const cat = fileBuiltin({
  name: 'cat',
  summary: 'concatenate files (or stdin) to stdout',
  usage: `Usage: cat [-nb] [FILE]...
Concatenate FILEs to standard output, byte for byte. With no FILE, or when FILE
is -, read standard input.

  -n, --number            number all output lines
  -b, --number-nonblank   number non-empty output lines only
  -u                      (ignored; output is never buffered)`,
  main,
});
