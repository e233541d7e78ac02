// du: disk usage in 1K blocks (st_blocks, hard links counted once), each directory
// after its contents; -s summary, -a files too, -d N depth, -h human sizes.
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import type { BuiltinContext } from '../types.js';
import { BrokenPipe, write, errnoMessage } from '../../os/index.js';
import { fail } from './io.js';
import { parseOptions } from '../options.js';
import { fileBuiltin, Aborted, UsageProblem, throwIfAborted, humanSize, statMany } from './fs/index.js';

interface Settings {
  all: boolean;
  maxDepth: number;
  unit: 'k' | 'm' | 'human' | 'bytes';
  oneFileSystem: boolean;
  seen: Set<string>;
  status: number;
  ctx: BuiltinContext;
}

export function formatUsage(bytes: number, unit: Settings['unit']): string {
  if (unit === 'human') return humanSize(bytes);
  if (unit === 'bytes') return String(bytes);
  return String(Math.ceil(bytes / (unit === 'm' ? 1024 * 1024 : 1024)));
}

/** Bytes used under path (st_blocks × 512); prints lines as it goes. */
async function usage(path: string, shown: string, stats: Stats, depth: number, rootDev: number, s: Settings): Promise<number> {
  throwIfAborted(s.ctx.signal);
  const id = `${stats.dev}:${stats.ino}`;
  if (stats.nlink > 1 && !stats.isDirectory()) {
    if (s.seen.has(id)) return 0;
    s.seen.add(id);
  }
  let total = s.unit === 'bytes' ? stats.size : stats.blocks * 512;
  if (stats.isDirectory()) {
    let names: string[] = [];
    try {
      names = (await s.ctx.fs.readdir(path)).sort();
    } catch (err) {
      s.status = await fail(s.ctx.stderr, 'du', `cannot read directory '${shown}': ${errnoMessage(err)}`);
    }
    const children = await statMany(s.ctx.fs, path, names, s.ctx.signal);
    for (const [i, name] of names.entries()) {
      const childPath = join(path, name);
      const childShown = shown.endsWith('/') ? `${shown}${name}` : `${shown}/${name}`;
      const child = children[i]!;
      if (child instanceof Error) {
        s.status = await fail(s.ctx.stderr, 'du', `cannot access '${childShown}': ${errnoMessage(child)}`);
        continue;
      }
      if (s.oneFileSystem && child.dev !== rootDev) continue;
      total += await usage(childPath, childShown, child, depth + 1, rootDev, s);
    }
  }
  if (depth <= s.maxDepth && (stats.isDirectory() || s.all || depth === 0)) {
    await write(s.ctx.stdout, `${formatUsage(total, s.unit)}\t${shown}\n`);
  }
  return total;
}

async function main(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(args, {
    flags: 'shakmcxbL',
    values: 'd',
    long: { summarize: false, 'human-readable': false, all: false, total: false, 'max-depth': true, 'one-file-system': false, bytes: false, 'apparent-size': false },
  });
  const depthText = opts.get('d') ?? opts.get('max-depth');
  if (depthText !== undefined && !/^\d+$/.test(depthText)) throw new UsageProblem(`invalid maximum depth '${depthText}'`);
  const summarize = opts.has('s') || opts.has('summarize');
  if (summarize && depthText !== undefined && depthText !== '0') throw new UsageProblem('cannot both summarize and show all entries');
  const s: Settings = {
    all: opts.has('a') || opts.has('all'),
    maxDepth: summarize ? 0 : depthText !== undefined ? Number(depthText) : Infinity,
    unit: opts.has('h') || opts.has('human-readable') ? 'human' : opts.has('b') || opts.has('bytes') || opts.has('apparent-size') ? 'bytes' : opts.has('m') ? 'm' : 'k',
    oneFileSystem: opts.has('x') || opts.has('one-file-system'),
    seen: new Set(),
    status: 0,
    ctx,
  };
  let grand = 0;
  for (const operand of opts.operands.length > 0 ? opts.operands : ['.']) {
    const path = ctx.resolve(operand);
    try {
      const stats = opts.has('L') ? await ctx.fs.stat(path) : await ctx.fs.lstat(path);
      grand += await usage(path, operand, stats, 0, stats.dev, s);
    } catch (err) {
      if (err instanceof BrokenPipe || err instanceof Aborted) throw err;
      s.status = await fail(ctx.stderr, 'du', `cannot access '${operand}': ${errnoMessage(err)}`);
    }
  }
  if (opts.has('c') || opts.has('total')) await write(ctx.stdout, `${formatUsage(grand, s.unit)}\ttotal\n`);
  return s.status;
}

export const du = fileBuiltin({
  name: 'du',
  summary: 'estimate disk usage of files and directories',
  usage: `Usage: du [-sahcmkbx] [-d N] [FILE]...
Disk usage of each FILE (the current directory by default) and, for
directories, of each subdirectory, in 1024-byte blocks. Hard-linked files count once.

  -s          only a total for each FILE
  -a          list files too, not just directories
  -d N        list directories only N levels deep (-s is -d 0)
  -h          human sizes (4.0K, 1.5M)
  -k / -m     1024-byte (default) / 1 MiB units
  -b          apparent size in bytes instead of blocks used
  -c          add a grand total line
  -x          stay on the file system of each FILE
  -L          follow a symlink named as FILE`,
  main,
});
