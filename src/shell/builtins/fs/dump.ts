// Line layouts of hexdump (`-C` canonical and the default 16-bit words) and xxd, as pure
// functions over one line of bytes, plus the streaming loop that cuts input into lines.
// Formats follow util-linux hexdump(1) and vim's xxd(1) byte for byte.
import type { BuiltinContext } from '../../types.js';
import { write } from '../../../os/index.js';
import { throwIfAborted } from './guard.js';

// Lookup tables: these run once per input byte.
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const ASCII = Array.from({ length: 256 }, (_, b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'));

function asciiOf(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += ASCII[bytes[i]!];
  return text;
}

/** `hexdump -C`: `00000000  68 69 0a  …  |hi.|` */
export function canonicalLine(offset: number, bytes: Uint8Array): string {
  let hexArea = '';
  for (let i = 0; i < bytes.length; i++) hexArea += i === 7 ? `${HEX[bytes[i]!]}  ` : `${HEX[bytes[i]!]} `;
  return `${offset.toString(16).padStart(8, '0')}  ${hexArea.padEnd(49)} |${asciiOf(bytes)}|\n`;
}

/** Plain `hexdump`: little-endian 16-bit words, an odd last byte padded with zero. */
export function wordsLine(offset: number, bytes: Uint8Array): string {
  let line = offset.toString(16).padStart(7, '0');
  for (let i = 0; i < bytes.length; i += 2) line += ` ${i + 1 < bytes.length ? HEX[bytes[i + 1]!] : '00'}${HEX[bytes[i]!]}`;
  return `${line.padEnd(47)}\n`;
}

export interface XxdLayout {
  cols: number;
  group: number;
  upper: boolean;
}

/** `xxd`: `00000000: 6869 0a                                  hi.` */
export function xxdLine(offset: number, bytes: Uint8Array, layout: XxdLayout): string {
  let hexArea = '';
  for (let i = 0; i < bytes.length; i++) {
    hexArea += HEX[bytes[i]!];
    if (layout.group > 0 && (i + 1) % layout.group === 0 && i + 1 < layout.cols) hexArea += ' ';
  }
  const groups = layout.group > 0 ? Math.ceil(layout.cols / layout.group) : 1;
  const width = layout.cols * 2 + groups - 1;
  if (layout.upper) hexArea = hexArea.toUpperCase();
  return `${offset.toString(16).padStart(8, '0')}: ${hexArea.padEnd(width)}  ${asciiOf(bytes)}\n`;
}

export interface DumpOptions {
  lineBytes: number;
  /** Print `*` for runs of lines equal to the one before (hexdump without -v). */
  squeeze: boolean;
  /** First offset shown (after `-s`). */
  startOffset: number;
  format(offset: number, bytes: Uint8Array): string;
  /** Closing line with the end offset (hexdump), or none (xxd). */
  trailer?(offset: number): string;
}

/** Streams chunks through `format`, 16 (or lineBytes) bytes per line, batching writes. */
export async function dumpChunks(chunks: AsyncIterable<Buffer>, o: DumpOptions, ctx: BuiltinContext): Promise<void> {
  let offset = o.startOffset;
  let pending = Buffer.alloc(0);
  let previous: Buffer | undefined;
  let squeezing = false;
  let out = '';
  const flushOut = async (force: boolean): Promise<void> => {
    if (out.length > 0 && (force || out.length > 32 * 1024)) {
      const text = out;
      out = '';
      await write(ctx.stdout, text);
    }
  };
  const emit = (line: Buffer): void => {
    if (o.squeeze && previous && line.length === o.lineBytes && line.equals(previous)) {
      if (!squeezing) out += '*\n';
      squeezing = true;
    } else {
      out += o.format(offset, line);
      squeezing = false;
    }
    previous = line;
    offset += line.length;
  };
  for await (const chunk of chunks) {
    throwIfAborted(ctx.signal);
    const data = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    let start = 0;
    for (; start + o.lineBytes <= data.length; start += o.lineBytes) emit(data.subarray(start, start + o.lineBytes));
    pending = Buffer.from(data.subarray(start));
    await flushOut(false);
  }
  if (pending.length > 0) emit(pending);
  if (o.trailer && offset > o.startOffset) out += o.trailer(offset);
  await flushOut(true);
}

/** Applies `-s SKIP` and `-n LENGTH` to a chunk stream. */
export async function* window(chunks: AsyncIterable<Buffer>, skip: number, length: number | undefined): AsyncGenerator<Buffer> {
  let toSkip = skip;
  let left = length ?? Infinity;
  if (left <= 0) return;
  for await (const chunk of chunks) {
    let piece = chunk;
    if (toSkip > 0) {
      const n = Math.min(toSkip, piece.length);
      toSkip -= n;
      piece = piece.subarray(n);
    }
    if (piece.length === 0) continue;
    if (piece.length >= left) {
      yield piece.subarray(0, left);
      return;
    }
    left -= piece.length;
    yield piece;
  }
}
