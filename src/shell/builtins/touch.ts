// touch: create files, or set their access/modification times to now, to -d DATE,
// -t [[CC]YY]MMDDhhmm[.ss] or -r FILE's times.
import type { BuiltinContext } from '../types.js';
import { fail } from './io.js';
import { parseOptions } from '../options.js';
import { errnoCode, errnoMessage } from '../../os/index.js';
import { fileBuiltin, UsageProblem } from './fs/index.js';

/** `-d`: ISO-8601 and the forms Date.parse knows, or `@SECONDS`. Undefined when invalid. */
export function parseTouchDate(text: string, now: Date = new Date()): Date | undefined {
  const epoch = /^@(-?\d+(?:\.\d+)?)$/.exec(text);
  if (epoch) return new Date(Number(epoch[1]) * 1000);
  if (text === 'now') return now;
  if (text === 'yesterday') return new Date(now.getTime() - 86_400_000);
  if (text === 'tomorrow') return new Date(now.getTime() + 86_400_000);
  // `2 hours ago`, `30 minutes ago`, `1 day ago` (GNU date's relative items, the common ones).
  const relative = /^(\d+) *(sec|second|min|minute|hour|day|week)s? +ago$/.exec(text);
  if (relative) {
    const unit = { sec: 1, second: 1, min: 60, minute: 60, hour: 3600, day: 86_400, week: 604_800 }[relative[2]!]!;
    return new Date(now.getTime() - Number(relative[1]) * unit * 1000);
  }
  // `2020-01-02 03:04:05` is local time; Date.parse wants a T.
  const normalised = /^\d{4}-\d{2}-\d{2} \d/.test(text) ? text.replace(' ', 'T') : text;
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** `-t [[CC]YY]MMDDhhmm[.ss]` in local time. */
export function parseTouchStamp(text: string, now: Date = new Date()): Date | undefined {
  const m = /^(\d{2})?(\d{2})?(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{2}))?$/.exec(text);
  if (!m) return undefined;
  let year = now.getFullYear();
  if (m[1] !== undefined && m[2] !== undefined) year = Number(m[1] + m[2]);
  else if (m[1] !== undefined) {
    const yy = Number(m[1]);
    year = yy < 69 ? 2000 + yy : 1900 + yy; // POSIX: 69–99 → 19xx
  }
  const [month, day, hour, minute, second] = [m[3], m[4], m[5], m[6], m[7] ?? '0'].map(Number) as [number, number, number, number, number];
  const date = new Date(year, month - 1, day, hour, minute, second);
  if (date.getMonth() !== month - 1 || date.getDate() !== day || hour > 23 || minute > 59 || second > 60) return undefined;
  return date;
}

async function main(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(args, { flags: 'acmh', values: 'dtr', long: { 'no-create': false, date: true, reference: true } });
  if (opts.operands.length === 0) throw new UsageProblem('missing file operand');
  const noCreate = opts.has('c') || opts.has('no-create');
  let atime: Date | undefined;
  let mtime: Date | undefined;
  const dateText = opts.get('d') ?? opts.get('date');
  const stampText = opts.get('t');
  const reference = opts.get('r') ?? opts.get('reference');
  if (dateText !== undefined) {
    const d = parseTouchDate(dateText);
    if (!d) return fail(ctx.stderr, 'touch', `invalid date format '${dateText}'`);
    atime = mtime = d;
  } else if (stampText !== undefined) {
    const d = parseTouchStamp(stampText);
    if (!d) return fail(ctx.stderr, 'touch', `invalid date format '${stampText}'`);
    atime = mtime = d;
  } else if (reference !== undefined) {
    try {
      const r = await ctx.fs.stat(ctx.resolve(reference));
      atime = r.atime;
      mtime = r.mtime;
    } catch (err) {
      return fail(ctx.stderr, 'touch', `failed to get attributes of '${reference}': ${errnoMessage(err)}`);
    }
  }
  const now = new Date();
  const onlyAccess = opts.has('a') && !opts.has('m');
  const onlyModify = opts.has('m') && !opts.has('a');
  let status = 0;
  for (const operand of opts.operands) {
    const path = ctx.resolve(operand);
    try {
      let current = await ctx.fs.stat(path).catch((err: unknown) => {
        if (errnoCode(err) === 'ENOENT') return undefined;
        throw err;
      });
      if (!current) {
        if (noCreate) continue;
        await (await ctx.fs.open(path, 'a')).close();
        current = await ctx.fs.stat(path);
      }
      await ctx.fs.utimes(path, onlyModify ? current.atime : (atime ?? now), onlyAccess ? current.mtime : (mtime ?? now));
    } catch (err) {
      status = await fail(ctx.stderr, 'touch', `cannot touch '${operand}': ${errnoMessage(err)}`);
    }
  }
  return status;
}

export const touch = fileBuiltin({
  name: 'touch',
  summary: 'create files or change their times',
  usage: `Usage: touch [-acm] [-d DATE | -t STAMP | -r FILE] FILE...
Set the access and modification times of each FILE to now, creating it empty
when it does not exist.

  -a         change only the access time
  -m         change only the modification time
  -c         do not create missing files
  -d DATE    use DATE: 2026-11-27, '2026-11-27 10:01:02', ISO 8601, @EPOCH, now,
             yesterday, '2 hours ago' (sec, min, hour, day, week)
  -t STAMP   use [[CC]YY]MMDDhhmm[.ss] (local time)
  -r FILE    use FILE's times`,
  main,
});
