// printf FORMAT [ARG]...: the POSIX printf(1) conversions, the format reused until the
// arguments are used up (coreutils/busybox behaviour).
import type { Builtin } from '../types.js';
import { echoEscapes, toBytes } from './echo.js';
import { write } from '../../os/index.js';

interface Formatted {
  text: string;
  /** `\c` in the format or a %b argument: stop all output. */
  stop: boolean;
  consumed: number;
  errors: string[];
}

function toNumber(arg: string | undefined, errors: string[]): number {
  if (arg === undefined || arg === '') return 0;
  if (/^['"]/.test(arg)) return arg.codePointAt(1) ?? 0;
  const n = /^[+-]?0[xX][0-9a-fA-F]+$/.test(arg) ? parseInt(arg, 16) : /^[+-]?0[0-7]+$/.test(arg) ? parseInt(arg, 8) : Number(arg);
  if (Number.isNaN(n)) {
    errors.push(`invalid number '${arg}'`);
    return 0;
  }
  return n;
}

function pad(text: string, width: number | undefined, left: boolean, zero: boolean): string {
  if (width === undefined || text.length >= width) return text;
  if (left) return text.padEnd(width);
  if (zero) {
    const sign = /^[+-]/.test(text) ? text[0]! : '';
    return sign + text.slice(sign.length).padStart(width - sign.length, '0');
  }
  return text.padStart(width);
}

/** The escape at format[i] (a backslash): its length, its text, whether it is `\c`. */
function escapeAt(format: string, i: number): { length: number; text: string; stop: boolean } {
  // A backslash that ends the format prints as itself.
  const end = /^\\(0[0-7]{0,3}|x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/s.exec(format.slice(i))?.[0] ?? '\\';
  const seq = /^\\[1-7]/.test(end) ? `\\0${end.slice(1)}` : end;
  const r = echoEscapes(seq);
  return { length: end.length, text: r.text, stop: r.stop };
}

interface Conversion {
  flags: string;
  conv: string;
  precision: number | undefined;
}

/** A converted argument; `stop` when a %b argument held `\c`. */
type Converter = (arg: string | undefined, c: Conversion, errors: string[]) => { text: string; stop?: boolean };

function integer(arg: string | undefined, { flags, precision }: Conversion, errors: string[]): { text: string } {
  const n = Math.trunc(toNumber(arg, errors));
  let text = String(Math.abs(n));
  if (precision !== undefined) text = text.padStart(precision, '0');
  return { text: (n < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + text };
}

function unsigned(arg: string | undefined, { flags, conv, precision }: Conversion, errors: string[]): { text: string } {
  const n = Math.trunc(toNumber(arg, errors));
  // Negative values wrap to 64 bits as in C; BigInt keeps every digit.
  const big = BigInt.asUintN(64, BigInt(n));
  let text = big.toString(conv === 'o' ? 8 : conv === 'u' ? 10 : 16);
  if (conv === 'X') text = text.toUpperCase();
  if (precision !== undefined) text = text.padStart(precision, '0');
  if (flags.includes('#') && n !== 0) text = (conv === 'o' ? '0' : conv === 'x' ? '0x' : conv === 'X' ? '0X' : '') + text;
  return { text };
}

function float(arg: string | undefined, { flags, conv, precision }: Conversion, errors: string[]): { text: string } {
  const n = toNumber(arg, errors);
  // A negative precision (from `*`) counts as none; JS formats at most 100 digits.
  const p = Math.min(precision === undefined || precision < 0 ? 6 : precision, 100);
  let text: string;
  if (conv === 'f' || conv === 'F') text = n.toFixed(p);
  else if (conv === 'e' || conv === 'E') text = n.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
  else text = String(Number(n.toPrecision(p || 1)));
  if (conv === 'E' || conv === 'G') text = text.toUpperCase();
  if (n >= 0 && flags.includes('+')) text = `+${text}`;
  return { text };
}

const CONVERTERS: Record<string, Converter> = {
  s: (arg, { precision }) => ({ text: precision === undefined ? (arg ?? '') : (arg ?? '').slice(0, precision) }),
  b: (arg) => echoEscapes(arg ?? ''),
  c: (arg) => ({ text: (arg ?? '').slice(0, 1) }),
  d: integer,
  i: integer,
  o: unsigned,
  u: unsigned,
  x: unsigned,
  X: unsigned,
  f: float,
  F: float,
  e: float,
  E: float,
  g: float,
  G: float,
};

/** A conversion: %, flags, width (or *), precision (or *), the conversion letter. */
const CONVERSION = /^%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([diouxXfFeEgGcsb%])/;

/** Formats once through FORMAT with args starting at 0. */
export function formatOnce(format: string, args: readonly string[]): Formatted {
  let out = '';
  let k = 0;
  const errors: string[] = [];
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c === '\\') {
      const escape = escapeAt(format, i);
      if (escape.stop) return { text: out, stop: true, consumed: k, errors };
      out += escape.text;
      i += escape.length - 1;
      continue;
    }
    const m = c === '%' ? CONVERSION.exec(format.slice(i)) : null;
    if (!m) {
      if (c === '%') errors.push(`%${format[i + 1] ?? ''}: invalid conversion`);
      out += c;
      continue;
    }
    i += m[0].length - 1;
    const [, flags = '', widthText, precisionText, conv = ''] = m;
    if (conv === '%') {
      out += '%';
      continue;
    }
    const width = widthText === '*' ? toNumber(args[k++], errors) : widthText ? Number(widthText) : undefined;
    const precision = precisionText === '*' ? toNumber(args[k++], errors) : precisionText !== undefined ? Number(precisionText || '0') : undefined;
    const r = CONVERTERS[conv]!(args[k++], { flags, conv, precision }, errors);
    if (r.stop) return { text: out + r.text, stop: true, consumed: k, errors };
    const left = flags.includes('-');
    const zero = flags.includes('0') && !left && conv !== 's' && conv !== 'c' && conv !== 'b';
    out += pad(r.text, width, left, zero);
  }
  return { text: out, stop: false, consumed: k, errors };
}

/** The whole printf: the format repeats while arguments remain. */
export function formatAll(format: string, args: readonly string[]): { text: string; errors: string[] } {
  let text = '';
  const errors: string[] = [];
  let rest = args;
  for (;;) {
    const r = formatOnce(format, rest);
    text += r.text;
    errors.push(...r.errors);
    if (r.stop || r.consumed === 0 || r.consumed >= rest.length) break;
    rest = rest.slice(r.consumed);
  }
  return { text, errors };
}

export const printf: Builtin = {
  name: 'printf',
  summary: 'format and print data',
  usage: 'Usage: printf FORMAT [ARG]...\n\nFormat and print ARGs as FORMAT says (%s %d %i %u %o %x %X %f %e %g %c %b %%,\nwith flags, width and precision; \\n \\t \\\\ \\0NNN \\xHH escapes).\nThe format is reused while arguments remain.',
  async run(args, ctx) {
    const operands = args[0] === '--' ? args.slice(1) : args;
    if (operands.length === 0) {
      await write(ctx.stderr, 'printf: missing format\n' + 'Usage: printf FORMAT [ARG]...\n');
      return 2;
    }
    const { text, errors } = formatAll(operands[0]!, operands.slice(1));
    await write(ctx.stdout, toBytes(text));
    for (const e of errors) await write(ctx.stderr, `printf: ${e}\n`);
    return errors.length ? 1 : 0;
  },
};
