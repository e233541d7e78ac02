// rm: remove files, and directories with -r. Refuses `/`, `.` and `..` as coreutils
// does; a recursive removal stops on ^C.
import { basename, join } from 'node:path';
import type { BuiltinContext } from '../types.js';
import { BrokenPipe, write, errnoCode, errnoMessage } from '../../os/index.js';
import { fail } from './io.js';
import { parseOptions } from '../options.js';
import { fileBuiltin, Aborted, UsageProblem, throwIfAborted } from './fs/index.js';

interface Settings {
  recursive: boolean;
  force: boolean;
  dirs: boolean;
  verbose: boolean;
  ctx: BuiltinContext;
}

async function removeTree(path: string, shown: string, s: Settings): Promise<number> {
  throwIfAborted(s.ctx.signal);
  let status = 0;
  try {
    const info = await s.ctx.fs.lstat(path);
    if (info.isDirectory()) {
      for (const name of await s.ctx.fs.readdir(path)) status = Math.max(status, await removeTree(join(path, name), `${shown}/${name}`, s));
      if (status === 0) await s.ctx.fs.rmdir(path);
    } else {
      await s.ctx.fs.unlink(path);
    }
    if (status === 0 && s.verbose) await write(s.ctx.stdout, `removed${info.isDirectory() ? ' directory' : ''} '${shown}'\n`);
  } catch (err) {
    if (err instanceof BrokenPipe || err instanceof Aborted) throw err;
    if (s.force && errnoCode(err) === 'ENOENT') return status;
    return fail(s.ctx.stderr, 'rm', `cannot remove '${shown}': ${errnoMessage(err)}`);
  }
  return status;
}

async function removeOperand(operand: string, s: Settings): Promise<number> {
  const path = s.ctx.resolve(operand);
  const leaf = basename(operand.replace(/\/+$/, ''));
  if (leaf === '.' || leaf === '..') return fail(s.ctx.stderr, 'rm', `refusing to remove '.' or '..' directory: skipping '${operand}'`);
  if (path === '/' && s.recursive) {
    return fail(s.ctx.stderr, 'rm', "it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe");
  }
  let info;
  try {
    info = await s.ctx.fs.lstat(path);
  } catch (err) {
    if (s.force && errnoCode(err) === 'ENOENT') return 0;
    return fail(s.ctx.stderr, 'rm', `cannot remove '${operand}': ${errnoMessage(err)}`);
  }
  if (info.isDirectory() && !s.recursive) {
    if (!s.dirs) return fail(s.ctx.stderr, 'rm', `cannot remove '${operand}': Is a directory`);
    try {
      await s.ctx.fs.rmdir(path);
      if (s.verbose) await write(s.ctx.stdout, `removed directory '${operand}'\n`);
      return 0;
    } catch (err) {
      return fail(s.ctx.stderr, 'rm', `cannot remove '${operand}': ${errnoMessage(err)}`);
    }
  }
  return removeTree(path, operand.replace(/\/+$/, '') || operand, s);
}

async function main(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(args, { flags: 'rRfdv', long: { recursive: false, force: false, dir: false, verbose: false } });
  const s: Settings = {
    recursive: opts.has('r') || opts.has('R') || opts.has('recursive'),
    force: opts.has('f') || opts.has('force'),
    dirs: opts.has('d') || opts.has('dir'),
    verbose: opts.has('v') || opts.has('verbose'),
    ctx,
  };
  if (opts.operands.length === 0) {
    if (s.force) return 0;
    throw new UsageProblem('missing operand');
  }
  let status = 0;
  for (const operand of opts.operands) status = Math.max(status, await removeOperand(operand, s));
  return status;
}

export const rm = fileBuiltin({
  name: 'rm',
  summary: 'remove files or directories',
  usage: `Usage: rm [-rfdv] FILE...
Remove each FILE. Never asks: there is no -i.

  -r, -R   remove directories and their contents
  -f       ignore missing files, never fail for them
  -d       remove empty directories
  -v       say what is removed
'/' is never removed recursively; '.' and '..' are refused.`,
  main,
});
