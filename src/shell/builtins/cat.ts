// cat: concatenate files (or stdin) to stdout, byte for byte. Streams chunk by chunk
// with backpressure, so `cat /dev/zero | head -c 1M` ends when head closes the pipe.
import type { BuiltinContext } from '../types.js';
import { write, BrokenPipe } from '../../os/index.js';
import { parseOptions } from '../options.js';
import { fileBuiltin, reportPath, Aborted, operandChunks } from './fs/index.js';

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

export interface ShowOptions {
  ends: boolean;
  tabs: boolean;
  nonPrinting: boolean;
  squeeze: boolean;
}

/** State of -s across chunks: how many newlines in a row ended the output so far. */
interface ShowState {
  newlines: number;
}

/** `cat -v` notation for one byte: ^X for controls, M- for bytes >= 0x80 (GNU cat). */
function showByte(b: number, o: ShowOptions): string {
  if (b === 9) return o.tabs ? '^I' : '\t';
  if (b === 10) return '\n';
  if (!o.nonPrinting) return String.fromCharCode(b);
  let prefix = '';
  let c = b;
  if (c >= 128) {
    prefix = 'M-';
    c -= 128;
  }
  if (c < 32) return `${prefix}^${String.fromCharCode(c + 64)}`;
  if (c === 127) return `${prefix}^?`;
  return prefix + String.fromCharCode(c);
}

/** Applies -E -T -v -s to a chunk (bytes < 0x80 pass as latin1, the rest as notation or raw). */
export function showChunk(chunk: Buffer, o: ShowOptions, state: ShowState): Buffer {
  const parts: Buffer[] = [];
  let text = '';
  const flushText = (): void => {
    if (text) parts.push(Buffer.from(text, 'latin1'));
    text = '';
  };
  for (let i = 0; i < chunk.length; i++) {
    const b = chunk[i]!;
    if (b === 10) {
      state.newlines++;
      // -s: at most one empty line in a row, i.e. never three newlines in a row.
      if (o.squeeze && state.newlines > 2) continue;
      text += o.ends ? '$\n' : '\n';
      continue;
    }
    state.newlines = 0;
    // coreutils 9: -E shows the CR of a CRLF ending as ^M.
    if (b === 13 && o.ends && !o.nonPrinting && chunk[i + 1] === 10) {
      text += '^M';
      continue;
    }
    if (b >= 128 && !o.nonPrinting) {
      flushText();
      parts.push(chunk.subarray(i, i + 1));
      continue;
    }
    text += showByte(b, o);
  }
  flushText();
  return Buffer.concat(parts);
}

async function main(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(args, {
    flags: 'nbuvETAets',
    long: { number: false, 'number-nonblank': false, 'show-all': false, 'show-ends': false, 'show-tabs': false, 'show-nonprinting': false, 'squeeze-blank': false },
  });
  const all = opts.has('A') || opts.has('show-all');
  const show: ShowOptions = {
    ends: all || opts.has('E') || opts.has('e') || opts.has('show-ends'),
    tabs: all || opts.has('T') || opts.has('t') || opts.has('show-tabs'),
    nonPrinting: all || opts.has('v') || opts.has('e') || opts.has('t') || opts.has('show-nonprinting'),
    squeeze: opts.has('s') || opts.has('squeeze-blank'),
  };
  const showing = show.ends || show.tabs || show.nonPrinting || show.squeeze;
  // The first newline of the output counts as ending a (virtual) line before it.
  const showState: ShowState = { newlines: 1 };
  const numbering = opts.has('n') || opts.has('number') || opts.has('b') || opts.has('number-nonblank');
  const state: Numbering = { line: 0, atLineStart: true, nonBlankOnly: opts.has('b') || opts.has('number-nonblank') };
  const operands = opts.operands.length > 0 ? opts.operands : ['-'];
  let status = 0;
  for (const operand of operands) {
    try {
      for await (const chunk of operandChunks(ctx, operand)) {
        let out = showing ? showChunk(chunk, show, showState) : chunk;
        if (numbering) out = numberChunk(out, state);
        await write(ctx.stdout, out);
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
  usage: `Usage: cat [-nbsAETv] [FILE]...
Concatenate FILEs to standard output, byte for byte. With no FILE, or when FILE
is -, read standard input.

  -n, --number            number all output lines
  -b, --number-nonblank   number non-empty output lines only
  -s, --squeeze-blank     never more than one empty line in a row
  -v, --show-nonprinting  show control bytes as ^X and high bytes as M-x
  -E, --show-ends         show $ at the end of each line
  -T, --show-tabs         show tabs as ^I
  -A, --show-all          -vET;  -e is -vE;  -t is -vT
  -u                      (ignored; output is never buffered)`,
  main,
});
