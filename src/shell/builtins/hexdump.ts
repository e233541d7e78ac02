// hexdump: the default 16-bit word layout and `-C` canonical hex+ASCII, identical to
// util-linux hexdump, repeated lines shown once as `*` unless -v.
import type { BuiltinContext } from '../types.js';
import { parseOptions } from '../options.js';
import { fileBuiltin, parseCount, UsageProblem, concatOperands, canonicalLine, dumpChunks, window, wordsLine } from './fs/index.js';

function count(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  const n = /^0x[0-9a-f]+$/i.test(text) ? Number.parseInt(text, 16) : parseCount(text);
  if (n === undefined) throw new UsageProblem(`invalid ${what}: '${text}'`);
  return n;
}

async function main(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(args, { flags: 'Cv', values: 'ns', long: { canonical: false, 'no-squeezing': false, length: true, skip: true } });
  const length = count(opts.get('n') ?? opts.get('length'), 'length');
  const skip = count(opts.get('s') ?? opts.get('skip'), 'offset') ?? 0;
  const canonical = opts.has('C') || opts.has('canonical');
  const input = concatOperands(ctx, 'hexdump', opts.operands.length > 0 ? opts.operands : ['-']);
  await dumpChunks(
    window(input.chunks, skip, length),
    {
      lineBytes: 16,
      squeeze: !(opts.has('v') || opts.has('no-squeezing')),
      startOffset: skip,
      format: canonical ? canonicalLine : wordsLine,
      trailer: (offset) => `${offset.toString(16).padStart(canonical ? 8 : 7, '0')}\n`,
    },
    ctx,
  );
  return input.status();
}

export const hexdump = fileBuiltin({
  name: 'hexdump',
  summary: 'show file bytes in hex (-C: hex and ASCII)',
  usage: `Usage: hexdump [-Cv] [-n LENGTH] [-s OFFSET] [FILE]...
Display FILEs (standard input when none, or for -) in hexadecimal, as
util-linux hexdump does. Repeated lines are shown once, then '*'.

  -C, --canonical   hex bytes and ASCII: 00000000  68 69 0a   |hi.|
                    (default: 16-bit little-endian words)
  -n, --length=N    only N bytes of input
  -s, --skip=N      skip N bytes first (decimal, 0x hex, or K/M suffix)
  -v                show every line, no '*'`,
  main,
});
