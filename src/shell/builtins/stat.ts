// stat: file status in busybox's layout (coreutils' minus Birth), `-c FORMAT` with the
// common % sequences, `-t` terse, `-L` to follow symlinks.
import type { BigIntStats } from 'node:fs';
import type { BuiltinContext } from '../types.js';
import { BrokenPipe, write, errnoMessage, modeString, loadIdNames } from '../../os/index.js';
import { fail } from './io.js';
import { parseOptions } from '../options.js';
import { fileBuiltin, Aborted, UsageProblem, statTime, majorMinor } from './fs/index.js';
import type { IdNames } from '../../os/index.js';

export function fileType(s: BigIntStats): string {
  if (s.isFile()) return s.size === 0n ? 'regular empty file' : 'regular file';
  if (s.isDirectory()) return 'directory';
  if (s.isSymbolicLink()) return 'symbolic link';
  if (s.isCharacterDevice()) return 'character special file';
  if (s.isBlockDevice()) return 'block special file';
  if (s.isFIFO()) return 'fifo';
  if (s.isSocket()) return 'socket';
  return 'weird file';
}

interface Described {
  name: string;
  stats: BigIntStats;
  target?: string;
  ids: IdNames;
}

const sec = (ns: bigint): string => String(ns / 1_000_000_000n - (ns < 0n && ns % 1_000_000_000n !== 0n ? 1n : 0n));

/** Expands one `%x` sequence of `stat -c`. */
function field(letter: string, d: Described): string | undefined {
  const s = d.stats;
  const mode = Number(s.mode);
  const [major, minor] = majorMinor(Number(s.rdev));
  const table: Record<string, () => string> = {
    n: () => d.name,
    N: () => (d.target !== undefined ? `'${d.name}' -> '${d.target}'` : d.name),
    s: () => String(s.size),
    a: () => (mode & 0o7777).toString(8),
    A: () => modeString(mode),
    f: () => (mode >>> 0).toString(16),
    F: () => fileType(s),
    u: () => String(s.uid),
    g: () => String(s.gid),
    U: () => d.ids.user(Number(s.uid)) ?? 'UNKNOWN',
    G: () => d.ids.group(Number(s.gid)) ?? 'UNKNOWN',
    i: () => String(s.ino),
    h: () => String(s.nlink),
    b: () => String(s.blocks),
    B: () => '512',
    o: () => String(s.blksize),
    d: () => String(s.dev),
    D: () => s.dev.toString(16),
    t: () => major.toString(16),
    T: () => minor.toString(16),
    x: () => statTime(s.atimeNs),
    y: () => statTime(s.mtimeNs),
    z: () => statTime(s.ctimeNs),
    X: () => sec(s.atimeNs),
    Y: () => sec(s.mtimeNs),
    Z: () => sec(s.ctimeNs),
    '%': () => '%',
  };
  return table[letter]?.();
}

export function formatStat(format: string, d: Described): string {
  return format.replace(/%(.)?/g, (whole, letter: string | undefined) => (letter === undefined ? '%' : field(letter, d) ?? whole));
}

/** The default, multi-line layout (busybox stat). */
export function defaultLayout(d: Described): string {
  const s = d.stats;
  const name = d.target !== undefined ? `'${d.name}' -> '${d.target}'` : d.name;
  const mode = Number(s.mode);
  const uid = String(s.uid).padStart(5);
  const gid = String(s.gid).padStart(5);
  const user = (d.ids.user(Number(s.uid)) ?? 'UNKNOWN').padStart(8);
  const group = (d.ids.group(Number(s.gid)) ?? 'UNKNOWN').padStart(8);
  const device = s.isCharacterDevice() || s.isBlockDevice() ? `Links: ${String(s.nlink).padEnd(5)} Device type: ${majorMinor(Number(s.rdev)).join(',')}` : `Links: ${s.nlink}`;
  return (
    `  File: ${name}\n` +
    `  Size: ${String(s.size).padEnd(10)}\tBlocks: ${String(s.blocks).padEnd(10)} IO Block: ${String(s.blksize).padEnd(6)} ${fileType(s)}\n` +
    `Device: ${s.dev.toString(16)}h/${s.dev}d\tInode: ${String(s.ino).padEnd(10)}  ${device}\n` +
    `Access: (${(mode & 0o7777).toString(8).padStart(4, '0')}/${modeString(mode)})  Uid: (${uid}/${user})   Gid: (${gid}/${group})\n` +
    `Access: ${statTime(s.atimeNs)}\n` +
    `Modify: ${statTime(s.mtimeNs)}\n` +
    `Change: ${statTime(s.ctimeNs)}\n`
  );
}

const TERSE = '%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %o\n';

async function main(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(args, { flags: 'Lt', values: 'c', long: { dereference: false, terse: false, format: true, printf: true } });
  if (opts.operands.length === 0) throw new UsageProblem('missing operand');
  const format = opts.get('c') ?? opts.get('format');
  const printf = opts.get('printf');
  const follow = opts.has('L') || opts.has('dereference');
  const ids = await loadIdNames('/etc', ctx.fs);
  let status = 0;
  for (const operand of opts.operands) {
    const path = ctx.resolve(operand);
    try {
      const stats = follow ? await ctx.fs.stat(path, { bigint: true }) : await ctx.fs.lstat(path, { bigint: true });
      const d: Described = { name: operand, stats, ids };
      if (stats.isSymbolicLink()) d.target = await ctx.fs.readlink(path);
      let text: string;
      if (printf !== undefined) text = formatStat(printf.replace(/\\n/g, '\n').replace(/\\t/g, '\t'), d);
      else if (format !== undefined) text = `${formatStat(format, d)}\n`;
      else if (opts.has('t') || opts.has('terse')) text = formatStat(TERSE, d);
      else text = defaultLayout(d);
      await write(ctx.stdout, text);
    } catch (err) {
      if (err instanceof BrokenPipe || err instanceof Aborted) throw err;
      status = await fail(ctx.stderr, 'stat', `cannot stat '${operand}': ${errnoMessage(err)}`);
    }
  }
  return status;
}

export const stat = fileBuiltin({
  name: 'stat',
  summary: 'show file status (size, mode, owner, times)',
  usage: `Usage: stat [-Lt] [-c FORMAT] FILE...
Display file status, as busybox stat does.

  -L, --dereference   follow symbolic links
  -t, --terse         one line: %n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %o
  -c, --format=FMT    print FMT (with a newline) instead, where:
        %n name  %N quoted name with link target  %s size  %b blocks  %B block unit
        %a octal mode  %A mode string  %f raw mode in hex  %F file type
        %u/%g uid/gid  %U/%G user/group name  %i inode  %h links  %o IO block
        %d/%D device (decimal/hex)  %t/%T major/minor (hex)
        %x/%y/%z access/modify/change time  %X/%Y/%Z the same in epoch seconds
      --printf=FMT    like -c, no newline added; \\n and \\t understood`,
  main,
});
