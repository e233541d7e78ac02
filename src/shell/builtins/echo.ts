// echo: busybox/bash-style `-n` (no newline) and `-e`/`-E` (backslash escapes).
import type { Builtin } from '../types.js';
import { write } from './io.js';

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
      out += String.fromCharCode(parseInt(m || '0', 8));
      i += m.length;
    } else if (n === 'x') {
      const m = /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 1))?.[0];
      if (m) {
        out += String.fromCharCode(parseInt(m, 16));
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
    // Latin-1 for \xHH bytes produced by -e; everything else is UTF-8.
    await write(ctx.stdout, newline ? `${text}\n` : text);
    return 0;
  },
};
