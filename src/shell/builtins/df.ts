// df: file system space from /proc/self/mountinfo and fs.statfs(2) (fs.promises.statfs), in
// the GNU coreutils layout. Like coreutils, it hides pseudo file systems, file systems of
// zero blocks and duplicate mounts of one device unless -a is given.
import type { StatsFs } from 'node:fs';
import { errnoCode, write } from '../../os/index.js';
import { formatSize } from '../../common/index.js';
import { readMountinfo } from '../../proc/index.js';
import type { MountEntry } from '../../proc/index.js';
import type { FileSystem } from '../files/index.js';
import type { OptionSpec, ParsedOptions } from '../options.js';
import type { Builtin, BuiltinContext } from '../types.js';
import { fail } from './io.js';
import { parseOrExit } from './system-util.js';

const USAGE = `Usage: df [-a] [-h|-k] [-i] [-T] [-t TYPE] [-x TYPE] [--json] [FILE…]
Show space (or inodes) used and available per mounted file system.
  -a, --all         include pseudo, duplicate and zero-size file systems
  -h, --human-readable  sizes in powers of 1024 (1K 234M 2G)
  -k                1K blocks (default)
  -i, --inodes      inodes instead of blocks
  -T, --print-type  show the file system type
  -t, --type TYPE   only this type; -x, --exclude-type TYPE: not this type
      --json        [{"filesystem", "type", "mounted_on", "size_bytes", "used_bytes",
                      "available_bytes", "use_percent", "inodes", "inodes_used",
                      "inodes_free"}]
FILE limits the listing to the file systems holding those files.
`;

// gnulib mountlist.c ME_DUMMY: types that never hold files of their own.
const DUMMY_TYPES = new Set([
  'autofs', 'proc', 'subfs', 'debugfs', 'devpts', 'fusectl', 'fuse.portal', 'mqueue', 'rpc_pipefs',
  'sysfs', 'devfs', 'kernfs', 'ignore', 'rootfs', 'binfmt_misc', 'securityfs', 'tracefs', 'configfs',
  'pstore', 'bpf', 'cgroup', 'cgroup2', 'efivarfs', 'nsfs',
]);

export function isDummy(entry: MountEntry): boolean {
  return DUMMY_TYPES.has(entry.fsType) || (entry.fsType === 'none' && !entry.mountOptions.split(',').includes('bind'));
}

interface Row {
  entry: MountEntry;
  fs: StatsFs;
}

/** coreutils df's choice between two mounts of one device (filter_mount_list()). */
function preferNew(seen: MountEntry, next: MountEntry): boolean {
  if (next.source.includes('/') && !seen.source.includes('/')) return true;
  const targetNearerRoot = seen.mountPoint.length > next.mountPoint.length;
  const sourceBelowRoot = seen.root.length < next.root.length;
  if (targetNearerRoot && !sourceBelowRoot) return true;
  return seen.source !== next.source && seen.mountPoint === next.mountPoint;
}

/** Drops duplicate mounts of one device (keyed by fs.stat(2) of the mount point). */
async function dedupe(fs: FileSystem, entries: MountEntry[]): Promise<MountEntry[]> {
  const devs = await Promise.all(entries.map((e) => fs.stat(e.mountPoint).then((s) => s.dev, () => undefined)));
  const order: MountEntry[] = [];
  const byDev = new Map<number, number>();
  entries.forEach((entry, i) => {
    const dev = devs[i];
    if (dev === undefined) {
      order.push(entry);
      return;
    }
    const at = byDev.get(dev);
    if (at === undefined) {
      byDev.set(dev, order.length);
      order.push(entry);
    } else if (preferNew(order[at]!, entry)) order[at] = entry;
  });
  return order;
}

/** The mount holding `path`: same device, longest mount point that prefixes its real path. */
async function mountFor(fs: FileSystem, path: string, entries: MountEntry[]): Promise<MountEntry | undefined> {
  const [real, st] = await Promise.all([fs.realpath(path), fs.stat(path)]);
  const major = Math.floor(st.dev / 256) & 0xfff;
  const under = (e: MountEntry): boolean => e.mountPoint === '/' || real === e.mountPoint || real.startsWith(`${e.mountPoint}/`);
  const byLength = [...entries].reverse().sort((a, b) => b.mountPoint.length - a.mountPoint.length);
  return (
    byLength.find((e) => under(e) && e.major === major && e.minor === ((st.dev & 0xff) | ((st.dev >> 12) & 0xfff00))) ??
    byLength.find(under)
  );
}

function ceilDiv(a: number, b: number): number {
  return Math.ceil(a / b);
}

/** `part` as a percentage of `whole`, rounded up (coreutils), or null when `whole` is 0. */
function percent(part: number, whole: number): number | null {
  return whole > 0 ? ceilDiv(part * 100, whole) : null;
}

const OPTION_SPEC: OptionSpec = {
  flags: 'ahkiTlP',
  values: 'tx',
  long: { all: false, 'human-readable': false, inodes: false, 'print-type': false, type: true, 'exclude-type': true, json: false, local: false },
};

interface Settings {
  all: boolean;
  human: boolean;
  inodes: boolean;
  showType: boolean;
  json: boolean;
  onlyTypes: Set<string>;
  notTypes: Set<string>;
  operands: string[];
}

function settingsOf(opts: ParsedOptions): Settings {
  return {
    all: opts.has('a') || opts.has('all'),
    human: opts.has('h') || opts.has('human-readable'),
    inodes: opts.has('i') || opts.has('inodes'),
    showType: opts.has('T') || opts.has('print-type'),
    json: opts.has('json'),
    onlyTypes: new Set([...opts.all('t'), ...opts.all('type')]),
    notTypes: new Set([...opts.all('x'), ...opts.all('exclude-type')]),
    operands: opts.operands,
  };
}

/** The mounts to report, and whether some operand could not be placed (exit 1). */
async function selectMounts(ctx: BuiltinContext, entries: MountEntry[], s: Settings): Promise<{ mounts: MountEntry[]; failed: boolean }> {
  if (s.operands.length > 0) return mountsOfOperands(ctx, entries, s.operands);
  const typed = entries.filter((e) => (s.onlyTypes.size === 0 || s.onlyTypes.has(e.fsType)) && !s.notTypes.has(e.fsType));
  return { mounts: s.all ? typed : await dedupe(ctx.fs, typed.filter((e) => !isDummy(e))), failed: false };
}

/** The mount holding each operand, in order; one that cannot be found is reported. */
async function mountsOfOperands(ctx: BuiltinContext, entries: MountEntry[], operands: string[]): Promise<{ mounts: MountEntry[]; failed: boolean }> {
  const mounts: MountEntry[] = [];
  let failed = false;
  for (const operand of operands) {
    const found = await mountFor(ctx.fs, ctx.resolve(operand), entries).catch(async (err: Error) => {
      const code = errnoCode(err);
      const why = code === 'ENOENT' ? 'No such file or directory' : code === 'EACCES' ? 'Permission denied' : err.message;
      await fail(ctx.stderr, 'df', `${operand}: ${why}`);
      return undefined;
    });
    if (found) mounts.push(found);
    else failed = true;
  }
  return { mounts, failed };
}

/**
 * statfs(2) of each mount, or undefined on ^C. Unless the mounts were asked for (-a or
 * operands), zero-size ones are dropped and a failing statfs is skipped silently.
 */
async function statMounts(ctx: BuiltinContext, mounts: MountEntry[], s: Settings): Promise<{ rows: Row[]; failed: boolean } | undefined> {
  const explicit = s.all || s.operands.length > 0;
  const rows: Row[] = [];
  let failed = false;
  for (const entry of mounts) {
    if (ctx.signal.aborted) return undefined;
    try {
      const fs = await ctx.fs.statfs(entry.mountPoint);
      if (!explicit && (s.inodes ? fs.files === 0 : fs.blocks === 0)) continue;
      rows.push({ entry, fs });
    } catch (err) {
      if (!explicit) continue;
      await fail(ctx.stderr, 'df', `${entry.mountPoint}: ${(err as Error).message}`);
      failed = true;
    }
  }
  return { rows, failed };
}

function jsonRow({ entry, fs }: Row): Record<string, string | number | null> {
  const used = fs.blocks - fs.bfree;
  return {
    filesystem: entry.source,
    type: entry.fsType,
    mounted_on: entry.mountPoint,
    size_bytes: fs.blocks * fs.bsize,
    used_bytes: used * fs.bsize,
    available_bytes: fs.bavail * fs.bsize,
    use_percent: percent(used, used + fs.bavail),
    inodes: fs.files,
    inodes_used: fs.files - fs.ffree,
    inodes_free: fs.ffree,
  };
}

function headerOf(s: Settings): string[] {
  const header = s.inodes
    ? ['Filesystem', 'Inodes', 'IUsed', 'IFree', 'IUse%', 'Mounted on']
    : ['Filesystem', s.human ? 'Size' : '1K-blocks', 'Used', s.human ? 'Avail' : 'Available', 'Use%', 'Mounted on'];
  if (s.showType) header.splice(1, 0, 'Type');
  return header;
}

function cellsOf({ entry, fs }: Row, s: Settings): string[] {
  const shownPercent = (pct: number | null): string => (pct === null ? '-' : `${pct}%`);
  let cells: string[];
  if (s.inodes) {
    const used = fs.files - fs.ffree;
    cells = [entry.source, String(fs.files), String(used), String(fs.ffree), shownPercent(percent(used, fs.files)), entry.mountPoint];
  } else {
    const used = fs.blocks - fs.bfree;
    const size = (blocks: number): string => (s.human ? formatSize(blocks * fs.bsize) : String(ceilDiv(blocks * fs.bsize, 1024)));
    cells = [entry.source, size(fs.blocks), size(used), size(fs.bavail), shownPercent(percent(used, used + fs.bavail)), entry.mountPoint];
  }
  if (s.showType) cells.splice(1, 0, entry.fsType);
  return cells;
}

/** The coreutils table: names and the mount point left-aligned, numbers right-aligned. */
function formatTable(rows: Row[], s: Settings): string {
  const header = headerOf(s);
  const table = [header, ...rows.map((row) => cellsOf(row, s))];
  // coreutils df.c field_data: minimum widths (Filesystem 14, Type 4, numbers 5, Use% 4).
  const minimum = header.map((h) => (h === 'Filesystem' ? 14 : h === 'Type' || h === 'Use%' ? 4 : h === 'Mounted on' ? 0 : 5));
  const widths = header.map((_, i) => Math.max(minimum[i]!, ...table.map((r) => r[i]!.length)));
  const leftAligned = new Set([0, header.length - 1, ...(s.showType ? [1] : [])]);
  const lines = table.map((r) =>
    r.map((cell, i) => (i === r.length - 1 ? cell : leftAligned.has(i) ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' '),
  );
  return `${lines.join('\n')}\n`;
}

async function runDf(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = await parseOrExit('df', USAGE, args, OPTION_SPEC, ctx);
  if (typeof opts === 'number') return opts;
  const s = settingsOf(opts);
  let entries: MountEntry[];
  try {
    entries = await readMountinfo(ctx.services.procRoot);
  } catch (err) {
    return fail(ctx.stderr, 'df', `cannot read the mount table (${ctx.services.procRoot}/self/mountinfo): ${(err as Error).message}`);
  }
  const selected = await selectMounts(ctx, entries, s);
  const stats = await statMounts(ctx, selected.mounts, s);
  if (stats === undefined) return 130;
  await write(ctx.stdout, s.json ? `${JSON.stringify(stats.rows.map(jsonRow))}\n` : formatTable(stats.rows, s));
  return selected.failed || stats.failed ? 1 : 0;
}

export const df: Builtin = { name: 'df', summary: 'file system space (-h, -i, -T, --json)', usage: USAGE, run: runDf };
