// date: print the time (`Fri Nov 27 10:01:02 UTC 2026`), `-u`, `+FORMAT` (strftime(3)
// conversions), `-I[FMT]`, `-R`, `-d @EPOCH|ISO`, `-r FILE`. Setting the clock needs
// clock_settime(2), which Node.js cannot make: that is said plainly.
import { DAY_NAMES, MONTH_NAMES } from '../../proc/index.js';
import type { Builtin, BuiltinContext } from '../types.js';
import { fail } from './io.js';
import { write } from '../../os/index.js';
import { parseOrExit, usageError } from './system-util.js';

const USAGE = `Usage: date [-u] [-d TIME | -r FILE] [-I[date|hours|minutes|seconds|ns] | -R | +FORMAT]
Print the date and time (default: "%a %b %e %H:%M:%S %Z %Y").
  -u, --utc            UTC instead of the local zone (TZ)
  -d, --date TIME      show TIME: @SECONDS, or an ISO 8601 / RFC 2822 date
  -r, --reference FILE the modification time of FILE
  -I[FMT], --iso-8601[=FMT]
                       ISO 8601; FMT date (default), hours, minutes, seconds or ns
  -R, --rfc-email      RFC 5322, e.g. "Fri, 27 Nov 2026 10:01:02 +0000"
  +FORMAT              strftime conversions: %a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j
                       %k %l %m %M %n %N %p %P %r %R %s %S %t %T %u %U %V %w %y %Y %z %:z
                       %Z %%; flags '-' (no padding), '_' (spaces), '0' (zeros)
Setting the clock (-s, or MMDDhhmm[[CC]YY]) needs the clock_settime(2) system call,
which the breakglass shell cannot make; use the toolbox's busybox: busybox date -s …
`;

const FULL_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const FULL_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Calendar fields of an instant in UTC or the server's local zone. */
interface Fields {
  year: number; month: number; day: number; hour: number; minute: number; second: number;
  weekday: number; ms: number; offsetMinutes: number; zone: string; epochMs: number; nanos: number;
}

function zoneName(d: Date): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName');
  return part?.value ?? 'UTC';
}

function fieldsOf(d: Date, utc: boolean, nanos?: number): Fields {
  const offsetMinutes = utc ? 0 : -d.getTimezoneOffset();
  const shifted = new Date(d.getTime() + offsetMinutes * 60_000);
  return {
    year: shifted.getUTCFullYear(), month: shifted.getUTCMonth(), day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(), minute: shifted.getUTCMinutes(), second: shifted.getUTCSeconds(),
    weekday: shifted.getUTCDay(), ms: shifted.getUTCMilliseconds(), offsetMinutes,
    zone: utc ? 'UTC' : zoneName(d), epochMs: d.getTime(), nanos: nanos ?? shifted.getUTCMilliseconds() * 1e6,
  };
}

function dayOfYear(f: Fields): number {
  return Math.floor((Date.UTC(f.year, f.month, f.day) - Date.UTC(f.year, 0, 1)) / 86_400_000) + 1;
}

/** ISO 8601 week number and week-based year (%V, %G). */
function isoWeek(f: Fields): { week: number; year: number } {
  const dayMs = 86_400_000;
  // The ISO week belongs to the year of its Thursday; week 1 holds the first Thursday.
  const thursday = Date.UTC(f.year, f.month, f.day) + (3 - ((f.weekday + 6) % 7)) * dayMs;
  const year = new Date(thursday).getUTCFullYear();
  return { week: 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / dayMs / 7), year };
}

function offset(f: Fields, colon: boolean): string {
  const sign = f.offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(f.offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${sign}${hh}${colon ? ':' : ''}${mm}`;
}

/** strftime(3) with GNU padding flags. Unknown conversions are printed as written. */
export function strftime(format: string, f: Fields): string {
  const num = (n: number, width: number, padChar: string, flag: string | undefined): string => {
    const text = String(n);
    if (flag === '-') return text;
    const p = flag === '_' ? ' ' : flag === '0' ? '0' : padChar;
    return text.padStart(width, p);
  };
  return format.replace(/%([-_0^#]?)(:?)([a-zA-Z%+])/g, (whole, flag: string, colon: string, conv: string) => {
    const fl = flag || undefined;
    const hour12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
    switch (conv) {
      case 'a': return DAY_NAMES[f.weekday]!;
      case 'A': return FULL_DAYS[f.weekday]!;
      case 'b': case 'h': return MONTH_NAMES[f.month]!;
      case 'B': return FULL_MONTHS[f.month]!;
      case 'c': return strftime('%a %b %e %H:%M:%S %Y', f);
      case 'C': return num(Math.floor(f.year / 100), 2, '0', fl);
      case 'd': return num(f.day, 2, '0', fl);
      case 'D': return strftime('%m/%d/%y', f);
      case 'e': return num(f.day, 2, ' ', fl);
      case 'F': return strftime('%Y-%m-%d', f);
      case 'g': return num(isoWeek(f).year % 100, 2, '0', fl);
      case 'G': return String(isoWeek(f).year);
      case 'H': return num(f.hour, 2, '0', fl);
      case 'I': return num(hour12, 2, '0', fl);
      case 'j': return num(dayOfYear(f), 3, '0', fl);
      case 'k': return num(f.hour, 2, ' ', fl);
      case 'l': return num(hour12, 2, ' ', fl);
      case 'm': return num(f.month + 1, 2, '0', fl);
      case 'M': return num(f.minute, 2, '0', fl);
      case 'n': return '\n';
      case 'N': return String(f.nanos).padStart(9, '0');
      case 'p': return f.hour < 12 ? 'AM' : 'PM';
      case 'P': return f.hour < 12 ? 'am' : 'pm';
      case 'r': return strftime('%I:%M:%S %p', f);
      case 'R': return strftime('%H:%M', f);
      case 's': return String(Math.floor(f.epochMs / 1000));
      case 'S': return num(f.second, 2, '0', fl);
      case 't': return '\t';
      case 'T': return strftime('%H:%M:%S', f);
      case 'u': return String(f.weekday === 0 ? 7 : f.weekday);
      case 'U': return num(Math.floor((dayOfYear(f) - 1 - f.weekday + 7) / 7), 2, '0', fl);
      case 'V': return num(isoWeek(f).week, 2, '0', fl);
      case 'w': return String(f.weekday);
      case 'y': return num(f.year % 100, 2, '0', fl);
      case 'Y': return String(f.year);
      case 'z': return offset(f, colon === ':');
      case 'Z': return f.zone;
      case '%': return '%';
      default: return whole;
    }
  });
}

const ISO_FORMATS: Record<string, string> = {
  date: '%Y-%m-%d',
  hours: '%Y-%m-%dT%H%:z',
  minutes: '%Y-%m-%dT%H:%M%:z',
  seconds: '%Y-%m-%dT%H:%M:%S%:z',
  ns: '%Y-%m-%dT%H:%M:%S,%N%:z',
};

export function parseDateArg(text: string): Date | undefined {
  const epoch = /^@(-?\d+(?:\.\d+)?)$/.exec(text.trim());
  if (epoch) return new Date(Number(epoch[1]) * 1000);
  if (text.trim() === 'now') return new Date();
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

async function runDate(args: string[], ctx: BuiltinContext): Promise<number> {
  // -I takes an optional attached value, which the getopt helper has no notion of.
  let iso: string | undefined;
  const rest: string[] = [];
  for (const arg of args) {
    const m = /^(?:-I|--iso-8601(?:=|$))(.*)$/.exec(arg);
    if (m) iso = m[1] || 'date';
    else rest.push(arg);
  }
  const opts = await parseOrExit('date', USAGE, rest, {
    flags: 'uR',
    values: 'drs',
    long: { utc: false, universal: false, 'rfc-email': false, date: true, reference: true, set: true },
  }, ctx);
  if (typeof opts === 'number') return opts;
  const format = opts.operands.find((o) => o.startsWith('+'));
  const others = opts.operands.filter((o) => !o.startsWith('+'));
  if (opts.get('s') !== undefined || opts.get('set') !== undefined || (others.length > 0 && /^\d{8,12}(\.\d\d)?$/.test(others[0]!))) {
    return fail(ctx.stderr, 'date', "setting the clock needs the clock_settime(2) system call, which the breakglass shell cannot make; upload a toolbox with busybox (see 'toolbox --help') and run: busybox date -s …");
  }
  if (others.length > 0) return usageError('date', `extra operand '${others[0]}'`, ctx);
  if (iso !== undefined && !(iso in ISO_FORMATS)) {
    return usageError('date', `invalid argument '${iso}' for --iso-8601 (valid: ${Object.keys(ISO_FORMATS).join(', ')})`, ctx);
  }
  let when = new Date();
  let nanos: number | undefined;
  const dateArg = opts.get('d') ?? opts.get('date');
  const reference = opts.get('r') ?? opts.get('reference');
  if (dateArg !== undefined) {
    const parsed = parseDateArg(dateArg);
    if (!parsed) return fail(ctx.stderr, 'date', `invalid date '${dateArg}' (use @SECONDS or an ISO 8601 date like 2026-11-27T10:01:02Z)`);
    when = parsed;
  } else if (reference !== undefined) {
    try {
      const st = await ctx.fs.stat(ctx.resolve(reference), { bigint: true });
      when = new Date(Number(st.mtimeNs / 1_000_000n));
      nanos = Number(st.mtimeNs % 1_000_000_000n);
    } catch (err) {
      return fail(ctx.stderr, 'date', `${reference}: ${(err as Error).message}`);
    }
  } else {
    // Nanoseconds for %N from the high-resolution clock, aligned to the wall clock's ms.
    nanos = (when.getTime() % 1000) * 1e6 + Math.floor((performance.now() % 1) * 1e6);
  }
  const f = fieldsOf(when, opts.has('u') || opts.has('utc') || opts.has('universal'), nanos);
  let text: string;
  if (format !== undefined) text = strftime(format.slice(1), f);
  else if (iso !== undefined) text = strftime(ISO_FORMATS[iso]!, f);
  else if (opts.has('R') || opts.has('rfc-email')) text = strftime('%a, %d %b %Y %H:%M:%S %z', f);
  else text = strftime('%a %b %e %H:%M:%S %Z %Y', f);
  await write(ctx.stdout, `${text}\n`);
  return 0;
}

export const date: Builtin = { name: 'date', summary: 'print the date and time (+FORMAT, -u, -I, -R)', usage: USAGE, run: runDate };
export { fieldsOf as dateFields };
