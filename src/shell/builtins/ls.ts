// ls: list directory contents. One name per line into a pipe, columns on a terminal,
// colours only on a terminal; `-l` in busybox's layout. Each directory is listed as
// soon as it is read (streaming for -R).
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import type { FileSystem } from '../files/index.js';
import type { BuiltinContext } from '../types.js';
import { BrokenPipe, write, errnoMessage, loadIdNames } from '../../os/index.js';
import { fail } from './io.js';
import { parseOptions } from '../options.js';
import { bareColour, fileBuiltin, Aborted, UsageProblem, throwIfAborted, layoutColumns, humanSize, classifyMark, colourCode, longLine, printableName } from './fs/index.js';
import { stringWidth } from '../lineedit/index.js';
import type { Entry } from './fs/index.js';
import type { IdNames } from '../../os/index.js';

interface Settings {
  all: boolean;
  almostAll: boolean;
  long: boolean;
  human: boolean;
  numeric: boolean;
  recursive: boolean;
  directory: boolean;
  onePerLine: boolean;
  sort: 'name' | 'time' | 'size' | 'none';
  reverse: boolean;
  classify: boolean;
  colour: boolean;
  ids: IdNames;
  ctx: BuiltinContext;
}

const byName = (a: Entry, b: Entry): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function sortEntries(entries: Entry[], sort: Settings['sort'], reverse: boolean): Entry[] {
  const sorted = [...entries];
  if (sort === 'name') sorted.sort(byName);
  if (sort === 'time') sorted.sort((a, b) => b.stats.mtimeMs - a.stats.mtimeMs || byName(a, b));
  if (sort === 'size') sorted.sort((a, b) => b.stats.size - a.stats.size || byName(a, b));
  return reverse ? sorted.reverse() : sorted;
}

async function makeEntry(fs: FileSystem, name: string, path: string, stats: Stats): Promise<Entry> {
  if (!stats.isSymbolicLink()) return { name, path, stats };
  const [target, targetStats] = await Promise.all([fs.readlink(path).catch(() => '?'), fs.stat(path).catch(() => null)]);
  return { name, path, stats, target, targetStats };
}

function shownName(entry: Entry, s: Settings): { text: string; width: number } {
  const name = printableName(entry.name, s.ctx.isTTY);
  const mark = s.classify ? classifyMark(entry) : '';
  const code = s.colour ? colourCode(entry) : undefined;
  return { text: `${code ? `\x1b[${code}m${name}\x1b[0m` : name}${mark}`, width: stringWidth(name) + mark.length };
}

/** Prints a group of entries (a directory's contents, or the file operands). */
async function printEntries(entries: Entry[], s: Settings, withTotal: boolean): Promise<void> {
  const out = s.ctx.stdout;
  if (s.long) {
    const lines: string[] = [];
    if (withTotal) {
      const blocks = entries.reduce((sum, e) => sum + Math.ceil(e.stats.blocks / 2), 0);
      lines.push(`total ${s.human && blocks >= 1024 ? humanSize(blocks * 1024) : `${blocks}${s.human ? 'K' : ''}`}`);
    }
    // "Now" after the stat calls: /proc entries are stamped when first looked at, and a
    // time in the future would print as a year.
    const now = new Date();
    for (const entry of entries) {
      lines.push(longLine(entry, shownName(entry, s).text, { human: s.human, numeric: s.numeric, ids: s.ids, now }));
    }
    if (lines.length > 0) await write(out, `${lines.join('\n')}\n`);
    return;
  }
  const cells = entries.map((e) => shownName(e, s));
  if (cells.length === 0) return;
  const lines = s.onePerLine ? cells.map((c) => c.text) : layoutColumns(cells, s.ctx.terminal.cols || 80);
  await write(out, `${lines.join('\n')}\n`);
}

async function readEntries(dir: string, s: Settings): Promise<Entry[]> {
  const names = await s.ctx.fs.readdir(dir);
  if (s.all) names.push('.', '..');
  const visible = names.filter((n) => s.all || (!n.startsWith('.') || (s.almostAll && n !== '.' && n !== '..')));
  const entries: Entry[] = [];
  // lstat in modest batches: /proc has thousands of entries.
  for (let i = 0; i < visible.length; i += 64) {
    throwIfAborted(s.ctx.signal);
    const batch = await Promise.all(
      visible.slice(i, i + 64).map(async (name) => {
        const path = join(dir, name);
        const stats = await s.ctx.fs.lstat(path).catch(() => undefined);
        return stats ? makeEntry(s.ctx.fs, name, path, stats) : undefined;
      }),
    );
    for (const e of batch) if (e) entries.push(e);
  }
  return entries;
}

/** Lists one directory (and, with -R, those below it); returns the exit status. */
async function listDirectory(path: string, shown: string, s: Settings, header: boolean, first: boolean): Promise<number> {
  throwIfAborted(s.ctx.signal);
  if (header) await write(s.ctx.stdout, `${first ? '' : '\n'}${shown}:\n`);
  let entries: Entry[];
  try {
    entries = sortEntries(await readEntries(path, s), s.sort, s.reverse);
  } catch (err) {
    if (err instanceof BrokenPipe || err instanceof Aborted) throw err;
    return fail(s.ctx.stderr, 'ls', `cannot open directory '${shown}': ${errnoMessage(err)}`, 2);
  }
  await printEntries(entries, s, true);
  let status = 0;
  if (s.recursive) {
    for (const e of entries) {
      if (!e.stats.isDirectory() || e.name === '.' || e.name === '..') continue;
      const child = shown === '/' ? `/${e.name}` : `${shown}/${e.name}`;
      status = Math.max(status, await listDirectory(e.path, child, s, true, false));
    }
  }
  return status;
}

function parseSettings(args: string[], ctx: BuiltinContext): { s: Omit<Settings, 'ids'>; operands: string[] } {
  const opts = parseOptions(bareColour(args), {
    flags: 'laAhR1dtSrnFCUf',
    long: {
      all: false, 'almost-all': false, 'human-readable': false, recursive: false, directory: false,
      reverse: false, 'numeric-uid-gid': false, classify: false, color: true, colour: true,
    },
  });
  const colourWord = opts.get('color') ?? opts.get('colour') ?? 'auto';
  if (!['auto', 'always', 'never', 'yes', 'no', 'tty', 'force', 'none'].includes(colourWord)) {
    throw new UsageProblem(`invalid argument '${colourWord}' for '--color' (valid: always, auto, never)`);
  }
  const colour = ['always', 'yes', 'force'].includes(colourWord) || (['auto', 'tty'].includes(colourWord) && ctx.isTTY);
  const sort = opts.has('U') || opts.has('f') ? 'none' : opts.has('S') ? 'size' : opts.has('t') ? 'time' : 'name';
  const long = opts.has('l') || opts.has('n');
  return {
    s: {
      all: opts.has('a') || opts.has('all') || opts.has('f'),
      almostAll: opts.has('A') || opts.has('almost-all'),
      long,
      human: opts.has('h') || opts.has('human-readable'),
      numeric: opts.has('n') || opts.has('numeric-uid-gid'),
      recursive: opts.has('R') || opts.has('recursive'),
      directory: opts.has('d') || opts.has('directory'),
      onePerLine: opts.has('1') || (!ctx.isTTY && !opts.has('C')),
      sort,
      reverse: opts.has('r') || opts.has('reverse'),
      classify: opts.has('F') || opts.has('classify'),
      colour,
      ctx,
    },
    operands: opts.operands,
  };
}

async function main(args: string[], ctx: BuiltinContext): Promise<number> {
  const parsed = parseSettings(args, ctx);
  const s: Settings = { ...parsed.s, ids: parsed.s.long ? await loadIdNames('/etc', ctx.fs) : { user: () => undefined, group: () => undefined } };
  const operands = parsed.operands.length > 0 ? parsed.operands : ['.'];
  let status = 0;
  const files: Entry[] = [];
  const dirs: Entry[] = [];
  for (const operand of operands) {
    const path = ctx.resolve(operand);
    try {
      let stats = await ctx.fs.lstat(path);
      // A symlink named on the command line is followed unless -l, -d or -F look at the link.
      if (stats.isSymbolicLink() && !s.long && !s.directory && !s.classify) stats = await ctx.fs.stat(path).catch(() => stats);
      const entry = await makeEntry(ctx.fs, operand, path, stats);
      (stats.isDirectory() && !s.directory ? dirs : files).push(entry);
    } catch (err) {
      if (err instanceof BrokenPipe || err instanceof Aborted) throw err;
      status = await fail(ctx.stderr, 'ls', `cannot access '${operand}': ${errnoMessage(err)}`, 2);
    }
  }
  await printEntries(sortEntries(files, s.sort, s.reverse), s, false);
  const header = operands.length > 1 || s.recursive;
  let first = files.length === 0;
  for (const dir of sortEntries(dirs, s.sort, s.reverse)) {
    status = Math.max(status, await listDirectory(dir.path, dir.name, s, header, first));
    first = false;
  }
  return status;
}

export const ls = fileBuiltin({
  name: 'ls',
  summary: 'list directory contents',
  usage: `Usage: ls [-1aAdFhlnRrSt] [--color=WHEN] [FILE]...
List FILEs (the current directory by default), directories by their contents.
On a terminal names are laid out in columns and coloured; into a pipe, one per line.

  -1          one name per line
  -a, --all   include names starting with '.', and . and ..
  -A          like -a without . and ..
  -d          list directories themselves, not their contents
  -F          append a type mark: / dir, @ link, * executable, | fifo, = socket
  -h          with -l, sizes like 4.0K, 94.3M
  -l          long listing: mode, links, owner, group, size, date, name (-> target)
  -n          like -l with numeric user and group ids
  -R          list subdirectories recursively
  -r          reverse the order
  -S          sort by size, largest first
  -t          sort by modification time, newest first
  -U, -f      do not sort (-f also implies -a)
  --color=WHEN  always, auto (terminal only; the default) or never`,
  usageCode: 2,
  main,
});
