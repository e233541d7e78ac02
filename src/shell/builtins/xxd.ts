// xxd: vim's hex dump layout (`00000000: 6869 0a   hi.`), and -p plain hex.
import type { BuiltinContext } from '../types.js';
import { write } from '../../os/index.js';
import { parseOptions } from '../options.js';
import { fileBuiltin, parseCount, UsageProblem, concatOperands, dumpChunks, window, xxdLine } from './fs/index.js';

function number(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  const n = /^0x[0-9a-f]+$/i.test(text) ? Number.parseInt(text, 16) : parseCount(text);
  if (n === undefined) throw new UsageProblem(`invalid ${what}: '${text}'`);
  return n;
}

async function plain(chunks: AsyncIterable<Buffer>, cols: number, upper: boolean, ctx: BuiltinContext): Promise<void> {
  let column = 0; // bytes already on the current line
  for await (const chunk of chunks) {
    const hex = chunk.toString('hex');
    let out = '';
    for (let pos = 0; pos < hex.length; ) {
      const take = Math.min((cols - column) * 2, hex.length - pos);
      out += hex.slice(pos, pos + take);
      pos += take;
      column += take / 2;
      if (column === cols) {
        out += '\n';
        column = 0;
      }
    }
    await write(ctx.stdout, upper ? out.toUpperCase() : out);
  }
  if (column > 0) await write(ctx.stdout, '\n');
}

async function main(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(args, { flags: 'pu', values: 'lscg', long: { ps: false, plain: false } });
  const isPlain = opts.has('p') || opts.has('ps') || opts.has('plain');
  const cols = number(opts.get('c'), 'number of columns') ?? (isPlain ? 30 : 16);
  const group = number(opts.get('g'), 'group size') ?? 2;
  const length = number(opts.get('l'), 'length');
  const skip = number(opts.get('s'), 'seek offset') ?? 0;
  if (cols < 1 || cols > 256) throw new UsageProblem(`invalid number of columns (max. 256): '${cols}'`);
  if (opts.operands.length > 1) throw new UsageProblem('only one FILE is read; write the dump elsewhere with > OUTFILE');
  const input = concatOperands(ctx, 'xxd', opts.operands.length > 0 ? opts.operands : ['-']);
  const chunks = window(input.chunks, skip, length);
  if (isPlain) await plain(chunks, cols, opts.has('u'), ctx);
  else {
    const layout = { cols, group, upper: opts.has('u') };
    await dumpChunks(chunks, { lineBytes: cols, squeeze: false, startOffset: skip, format: (o, b) => xxdLine(o, b, layout) }, ctx);
  }
  return input.status();
}

export const xxd = fileBuiltin({
  name: 'xxd',
  summary: 'hex dump in xxd layout (-p: plain hex)',
  usage: `Usage: xxd [-pu] [-c COLS] [-g BYTES] [-l LEN] [-s SEEK] [FILE]
Hex dump of FILE (standard input when none, or -) as vim's xxd prints it:
offset, hex in groups, then the printable characters.

  -c COLS    bytes per line (default 16; 30 with -p)
  -g BYTES   bytes per group (default 2; 0 for no grouping)
  -l LEN     stop after LEN bytes
  -p         plain hex, no offsets or text
  -s SEEK    start at byte SEEK
  -u         upper-case hex digits`,
  main,
});
