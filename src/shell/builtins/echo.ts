// echo: busybox/bash-style `-n` (no newline) and `-e`/`-E` (backslash escapes).
import type { Builtin } from '../types.js';
import { write } from '../../os/index.js';

// Bytes from \xHH and \0NNN escapes that are not ASCII travel through strings as
// U+F780+byte (private use), so they come out as that single raw byte, not as UTF-8.
const RAW_BASE = 0xf780;

function rawByte(value: number): string {
  return value < 0x80 ? String.fromCharCode(value) : String.fromCharCode(RAW_BASE + (value & 0x7f));
}

/** Encodes text for output: UTF-8, except escaped raw bytes which are written as is. */
export function toBytes(text: string): Buffer {
  if (!/[\uf780-\uf7ff]/.test(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < RAW_BASE || code > RAW_BASE + 0x7f) continue;
    parts.push(Buffer.from(text.slice(start, i), 'utf8'), Buffer.from([0x80 + code - RAW_BASE]));
    start = i + 1;
  }
  parts.push(Buffer.from(text.slice(start), 'utf8'));
  return Buffer.concat(parts);
}

/** Interprets echo -e escapes; `\c` stops output (returned as stop = true). */
export function echoEscapes(text: string): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\' || i + 1 >= text.length) {
      out += c;
      continue;
    }
    const n = text[++i]!;
    const simple: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
    if (n in simple) out += simple[n];
    else if (n === 'c') return { text: out, stop: true };
    else if (n === '0') {
      const m = /^[0-7]{0,3}/.exec(text.slice(i + 1))![0];
      out += rawByte(parseInt(m || '0', 8) & 0xff);
      i += m.length;
    } else if (n === 'x') {
      const m = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 1))?.[0];
      if (m) {
        out += rawByte(parseInt(m, 16));
        i += m.length;
      } else out += '\\x';
    } else out += `\\${n}`;
  }
  return { text: out, stop: false };
}

export const echo: Builtin = {
  name: 'echo',
  summary: 'print arguments',
  usage: 'Usage: echo [-neE] [ARG]...\n\nPrint the arguments separated by spaces, then a newline.\n\n\t-n\tno trailing newline\n\t-e\tinterpret backslash escapes (\\n \\t \\\\ \\0NNN \\xHH \\c)\n\t-E\tdo not interpret escapes (default)',
  async run(args, ctx) {
    let newline = true;
    let escapes = false;
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i]!;
      if (!/^-[neE]+$/.test(a)) break;
      for (const f of a.slice(1)) {
        if (f === 'n') newline = false;
        else if (f === 'e') escapes = true;
        else escapes = false;
      }
    }
    let text = args.slice(i).join(' ');
    if (escapes) {
      const r = echoEscapes(text);
      text = r.text;
      if (r.stop) newline = false;
    }
    await write(ctx.stdout, toBytes(newline ? `${text}\n` : text));
    return 0;
  },
};
