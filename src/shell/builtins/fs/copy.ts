// The copy engine behind cp and mv's cross-device fallback: regular files via
// copyFile (kernel copy, never through JS memory), directories recursively, symlinks
// as symlinks unless dereferencing, special files read as streams (abortable: `cp
// /dev/zero x` stops on ^C), with -p/-a preservation of mode, owner and times.
import type { Stats } from 'node:fs';
import { writeToOpenFile } from '../../files/index.js';
import type { FileSystem } from '../../files/index.js';
import { basename, join, resolve } from 'node:path';
import type { BuiltinContext } from '../../types.js';
import { BrokenPipe, write, errnoMessage } from '../../../os/index.js';
import { fail } from '../io.js';
import { Aborted, throwIfAborted } from './guard.js';
import { fileChunks } from './input.js';

export interface CopyOptions {
  name: string;
  recursive: boolean;
  /** 'always' (-L, or plain cp without -r), 'top' (-H), 'never' (-P, -d, -a, -r). */
  dereference: 'always' | 'top' | 'never';
  preserve: boolean;
  force: boolean;
  noClobber: boolean;
  verbose: boolean;
  umask: number;
  ctx: BuiltinContext;
}

const exists = (fs: FileSystem, path: string): Promise<Stats | undefined> => fs.lstat(path).catch(() => undefined);

async function preserveAttributes(fs: FileSystem, target: string, from: Stats, isLink: boolean): Promise<void> {
  if (isLink) {
    await fs.lchown(target, from.uid, from.gid).catch(() => undefined);
    await fs.lutimes(target, from.atime, from.mtime).catch(() => undefined);
    return;
  }
  // Owner first: chown clears setuid bits that chmod then restores.
  await fs.chown(target, from.uid, from.gid).catch(() => undefined);
  await fs.chmod(target, from.mode & 0o7777);
  await fs.utimes(target, from.atime, from.mtime);
}

async function streamCopy(fs: FileSystem, source: string, target: string, mode: number, signal: AbortSignal): Promise<void> {
  const out = await fs.open(target, 'w', mode);
  try {
    for await (const chunk of fileChunks(fs, source, signal)) await writeToOpenFile(out, chunk);
  } finally {
    await out.close();
  }
}

/** One source/target pair once the source is stat'ed: what copyDirectory and copyLeaf work on. */
interface CopyStep {
  source: string;
  target: string;
  shownSource: string;
  shownTarget: string;
  from: Stats;
  existing: Stats | undefined;
  top: boolean;
}

const report = (o: CopyOptions, message: string): Promise<number> => fail(o.ctx.stderr, o.name, message);

const announce = async (step: CopyStep, o: CopyOptions): Promise<void> => {
  if (o.verbose) await write(o.ctx.stdout, `'${step.shownSource}' -> '${step.shownTarget}'\n`);
};

/** -r: the directory itself, then its entries in name order; the worst status of them. */
async function copyDirectory(step: CopyStep, o: CopyOptions): Promise<number> {
  const { source, target, shownSource, shownTarget, from, existing } = step;
  const fs = o.ctx.fs;
  if (!o.recursive) return report(o, `-r not specified; omitting directory '${shownSource}'`);
  const src = resolve(source);
  if (resolve(target) === src || resolve(target).startsWith(`${src}/`)) {
    return report(o, `cannot copy a directory, '${shownSource}', into itself, '${shownTarget}'`);
  }
  if (existing && !existing.isDirectory()) return report(o, `cannot overwrite non-directory '${shownTarget}' with directory '${shownSource}'`);
  if (!existing) await fs.mkdir(target, { mode: (from.mode & 0o7777) | 0o700 });
  await announce(step, o);
  let status = 0;
  for (const name of (await fs.readdir(source)).sort()) {
    status = Math.max(status, await copyPath(join(source, name), join(target, name), `${shownSource}/${name}`, `${shownTarget}/${name}`, o, false));
  }
  if (o.preserve) await preserveAttributes(fs, target, from, false);
  else if (!existing) await fs.chmod(target, from.mode & 0o7777 & ~o.umask);
  return status;
}

/** A regular file by copyFile; -f replaces a destination that cannot be opened. */
async function copyRegular(step: CopyStep, o: CopyOptions): Promise<void> {
  const { source, target, from, existing } = step;
  const fs = o.ctx.fs;
  try {
    await fs.copyFile(source, target);
  } catch (err) {
    if (!(o.force && existing)) throw err;
    // -f: an existing destination that cannot be opened is removed and replaced.
    await fs.unlink(target);
    await fs.copyFile(source, target);
  }
  if (o.preserve) await preserveAttributes(fs, target, from, false);
  else if (!existing) await fs.chmod(target, from.mode & 0o777 & ~o.umask);
}

/** Anything but a directory: a symlink as a symlink, a regular file, or a special file's contents. */
async function copyLeaf(step: CopyStep, o: CopyOptions): Promise<number> {
  const { source, target, shownSource, shownTarget, from, existing } = step;
  const fs = o.ctx.fs;
  if (existing?.isDirectory()) return report(o, `cannot overwrite directory '${shownTarget}' with non-directory`);
  if (from.isSymbolicLink()) {
    const link = await fs.readlink(source);
    if (existing) await fs.unlink(target);
    await fs.symlink(link, target);
    if (o.preserve) await preserveAttributes(fs, target, from, true);
  } else if (from.isFile()) {
    await copyRegular(step, o);
  } else if (o.recursive && !step.top) {
    return report(o, `cannot copy special file '${shownSource}'`);
  } else {
    await streamCopy(fs, source, target, from.mode & 0o666 & ~o.umask, o.ctx.signal);
  }
  await announce(step, o);
  return 0;
}

/** Copies one source path to target; returns 0 or 1 after reporting problems. */
export async function copyPath(source: string, target: string, shownSource: string, shownTarget: string, o: CopyOptions, top = true): Promise<number> {
  throwIfAborted(o.ctx.signal);
  const fs = o.ctx.fs;
  let from: Stats;
  try {
    const follow = o.dereference === 'always' || (o.dereference === 'top' && top);
    from = follow ? await fs.stat(source) : await fs.lstat(source);
  } catch (err) {
    return report(o, `cannot stat '${shownSource}': ${errnoMessage(err)}`);
  }
  const existing = await exists(fs, target);
  if (existing && existing.dev === from.dev && existing.ino === from.ino) {
    return report(o, `'${shownSource}' and '${shownTarget}' are the same file`);
  }
  if (existing && o.noClobber) return 0;
  const step: CopyStep = { source, target, shownSource, shownTarget, from, existing, top };
  try {
    return await (from.isDirectory() ? copyDirectory(step, o) : copyLeaf(step, o));
  } catch (err) {
    if (err instanceof BrokenPipe || err instanceof Aborted) throw err;
    return report(o, `cannot create '${shownTarget}': ${errnoMessage(err)}`);
  }
}

/** The destination for each source: inside DEST when it is a directory. */
export async function planTargets(
  operands: string[],
  ctx: BuiltinContext,
): Promise<{ pairs: Array<{ source: string; target: string; shownSource: string; shownTarget: string }> } | { error: string }> {
  if (operands.length === 0) return { error: 'missing file operand' };
  if (operands.length === 1) return { error: `missing destination file operand after '${operands[0]}'` };
  const dest = operands.at(-1)!;
  const sources = operands.slice(0, -1);
  const destStats = await ctx.fs.stat(ctx.resolve(dest)).catch(() => undefined);
  const intoDir = destStats?.isDirectory() ?? false;
  if (!intoDir && sources.length > 1) return { error: `target '${dest}' is not a directory` };
  return {
    pairs: sources.map((source) => {
      const leaf = basename(source.replace(/\/+$/, '')) || source;
      const shownTarget = intoDir ? `${dest.replace(/\/+$/, '')}/${leaf}` : dest;
      return { source: ctx.resolve(source), target: ctx.resolve(shownTarget), shownSource: source, shownTarget };
    }),
  };
}
