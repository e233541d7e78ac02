// Pre-order directory walk shared by find and grep -r: one lstat per entry, names in
// byte order, stops on ctx.signal, reports unreadable directories and goes on.
import { lstat, readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { throwIfAborted } from './guard.js';

export interface WalkEntry {
  path: string;
  /** The path as the user sees it (operand-relative). */
  shown: string;
  depth: number;
  stats: Stats;
}

export interface WalkOptions {
  signal: AbortSignal;
  /** Follow symlinks: 'none' (find -P, grep -r inside), 'top' (operands only), 'all' (-L, grep -R). */
  follow: 'none' | 'top' | 'all';
  maxDepth?: number;
  /** Children before their directory (find -depth, -delete). */
  postOrder?: boolean;
  /** Whether to descend into a directory entry (find -prune, grep --exclude-dir). */
  descend?(entry: WalkEntry): boolean;
  onError(shown: string, err: unknown): Promise<void>;
}

const joinShown = (base: string, name: string): string => (base.endsWith('/') ? `${base}${name}` : `${base}/${name}`);

export async function* walk(path: string, shown: string, o: WalkOptions): AsyncGenerator<WalkEntry> {
  let stats: Stats;
  try {
    stats = o.follow === 'none' ? await lstat(path) : await stat(path);
  } catch (err) {
    await o.onError(shown, err);
    return;
  }
  yield* walkFrom({ path, shown, depth: 0, stats }, o, new Set());
}

async function* walkFrom(entry: WalkEntry, o: WalkOptions, ancestors: Set<string>): AsyncGenerator<WalkEntry> {
  throwIfAborted(o.signal);
  if (!o.postOrder) yield entry;
  yield* children(entry, o, ancestors);
  if (o.postOrder) yield entry;
}

async function* children(entry: WalkEntry, o: WalkOptions, ancestors: Set<string>): AsyncGenerator<WalkEntry> {
  if (!entry.stats.isDirectory()) return;
  if (o.maxDepth !== undefined && entry.depth >= o.maxDepth) return;
  if (o.descend && !o.descend(entry)) return;
  // Loop guard for followed symlinks: a directory inside itself.
  const id = `${entry.stats.dev}:${entry.stats.ino}`;
  if (ancestors.has(id)) {
    await o.onError(entry.shown, Object.assign(new Error('File system loop detected'), { code: 'ELOOP' }));
    return;
  }
  let names: string[];
  try {
    names = (await readdir(entry.path)).sort();
  } catch (err) {
    await o.onError(entry.shown, err);
    return;
  }
  ancestors.add(id);
  for (const name of names) {
    throwIfAborted(o.signal);
    const path = join(entry.path, name);
    const shown = joinShown(entry.shown, name);
    let stats: Stats;
    try {
      stats = await lstat(path);
      if (o.follow === 'all' && stats.isSymbolicLink()) stats = await stat(path).catch(() => stats);
    } catch (err) {
      await o.onError(shown, err);
      continue;
    }
    yield* walkFrom({ path, shown, depth: entry.depth + 1, stats }, o, ancestors);
  }
  ancestors.delete(id);
}
