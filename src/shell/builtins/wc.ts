// wc: newline, word and byte counts, laid out as GNU coreutils does (column width from
// the total size of regular files, at least 7 when any input is a pipe).
import type { BuiltinContext } from '../types.js';
import { BrokenPipe, write } from '../../os/index.js';
import { parseOptions } from '../options.js';
import { fileBuiltin, reportPath, Aborted, isStdin, operandChunks } from './fs/index.js';

export interface Counts {
  lines: number;
  words: number;
  bytes: number;
  chars: number;
  maxLine: number;
}

/** Incremental counter; words are runs of non-white-space bytes, as in the C locale. */
export class Counter {
  counts: Counts = { lines: 0, words: 0, bytes: 0, chars: 0, maxLine: 0 };
  private inWord = false;
  private lineLength = 0;

  /** `full` false: only lines and bytes are wanted (`wc -l`, `wc -c`), counted fast. */
  constructor(private readonly full = true) {}

  add(chunk: Buffer): void {
    const c = this.counts;
    c.bytes += chunk.length;
    if (!this.full) {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) c.lines++;
      return;
    }
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      // UTF-8 continuation bytes do not start a character.
      if ((b & 0xc0) !== 0x80) c.chars++;
      if (b === 10) {
        c.lines++;
        c.maxLine = Math.max(c.maxLine, this.lineLength);
        this.lineLength = 0;
      } else if ((b & 0xc0) !== 0x80) {
        this.lineLength += b === 9 ? 8 - (this.lineLength % 8) : 1;
      }
      // GNU wc: white space ends a word, a printable character is part of one, and
      // other control bytes are neither. Bytes >= 0x80 (UTF-8 text) count as printable.
      if (b === 32 || (b >= 9 && b <= 13)) {
        if (this.inWord) c.words++;
        this.inWord = false;
      } else if (b > 32 && b !== 127) {
        this.inWord = true;
      }
    }
  }

  finish(): Counts {
    if (this.inWord) this.counts.words++;
    this.inWord = false;
    this.counts.maxLine = Math.max(this.counts.maxLine, this.lineLength);
    return this.counts;
  }
}

type Field = keyof Counts;

export function formatCounts(counts: Counts, fields: Field[], width: number, name: string | undefined): string {
  const cells = fields.map((f) => String(counts[f]).padStart(width));
  return `${cells.join(' ')}${name !== undefined ? ` ${name}` : ''}\n`;
}

/** GNU wc's compute_number_width: digits of the regular files' total size, 7 for pipes. */
async function numberWidth(ctx: BuiltinContext, operands: string[], fields: Field[]): Promise<number> {
  if (fields.length === 1 && operands.length === 1) return 1;
  let minimum = 1;
  let total = 0;
  for (const operand of operands) {
    const info = isStdin(operand) ? undefined : await ctx.fs.stat(ctx.resolve(operand)).catch(() => null);
    if (info === null) continue;
    if (!info || !info.isFile()) minimum = 7;
    else total += info.size;
  }
  return Math.max(minimum, String(total).length);
}

async function main(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(args, {
    flags: 'lwcmL',
    long: { lines: false, words: false, bytes: false, chars: false, 'max-line-length': false },
  });
  const chosen: Field[] = [];
  if (opts.has('l') || opts.has('lines')) chosen.push('lines');
  if (opts.has('w') || opts.has('words')) chosen.push('words');
  if (opts.has('m') || opts.has('chars')) chosen.push('chars');
  if (opts.has('c') || opts.has('bytes')) chosen.push('bytes');
  if (opts.has('L') || opts.has('max-line-length')) chosen.push('maxLine');
  const fields: Field[] = chosen.length > 0 ? chosen : ['lines', 'words', 'bytes'];
  const named = opts.operands.length > 0;
  const operands = named ? opts.operands : ['-'];
  const width = await numberWidth(ctx, operands, fields);
  const total: Counts = { lines: 0, words: 0, bytes: 0, chars: 0, maxLine: 0 };
  let status = 0;
  for (const operand of operands) {
    const counter = new Counter(fields.some((f) => f !== 'lines' && f !== 'bytes'));
    try {
      for await (const chunk of operandChunks(ctx, operand)) counter.add(chunk);
    } catch (err) {
      if (err instanceof BrokenPipe || err instanceof Aborted) throw err;
      status = await reportPath(ctx, 'wc', operand, err);
      continue;
    }
    const counts = counter.finish();
    for (const f of ['lines', 'words', 'bytes', 'chars'] as const) total[f] += counts[f];
    total.maxLine = Math.max(total.maxLine, counts.maxLine);
    await write(ctx.stdout, formatCounts(counts, fields, width, named ? operand : undefined));
  }
  if (operands.length > 1) await write(ctx.stdout, formatCounts(total, fields, width, 'total'));
  return status;
}

export const wc = fileBuiltin({
  name: 'wc',
  summary: 'count lines, words and bytes',
  usage: `Usage: wc [-lwcmL] [FILE]...
Print newline, word and byte counts for each FILE (standard input when none, or
for -), and a total line when there is more than one FILE.

  -l, --lines            newlines
  -w, --words            words (runs of non-space characters)
  -c, --bytes            bytes
  -m, --chars            characters (UTF-8)
  -L, --max-line-length  length of the longest line`,
  main,
});
