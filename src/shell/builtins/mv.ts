// mv: rename; across file systems (EXDEV) copy with everything preserved, then remove
// the source, as coreutils does.
import { resolve } from 'node:path';
import type { BuiltinContext } from '../types.js';
import { fail } from './io.js';
import { write, errnoCode, errnoMessage, currentUmask } from '../../os/index.js';
import { parseOptions } from '../options.js';
import { fileBuiltin, UsageProblem, copyPath, planTargets } from './fs/index.js';

async function main(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(args, { flags: 'fnv', long: { force: false, 'no-clobber': false, verbose: false } });
  const plan = await planTargets(opts.operands, ctx);
  if ('error' in plan) throw new UsageProblem(plan.error);
  const verbose = opts.has('v') || opts.has('verbose');
  const noClobber = opts.has('n') || opts.has('no-clobber');
  let status = 0;
  for (const p of plan.pairs) {
    const src = resolve(p.source);
    if (resolve(p.target).startsWith(`${src}/`)) {
      status = await fail(ctx.stderr, 'mv', `cannot move '${p.shownSource}' to a subdirectory of itself, '${p.shownTarget}'`);
      continue;
    }
    if (noClobber && (await ctx.fs.stat(p.target).catch(() => undefined))) continue;
    try {
      await ctx.fs.rename(p.source, p.target);
    } catch (err) {
      if (errnoCode(err) !== 'EXDEV') {
        const code = errnoCode(err);
        const message =
          code === 'EISDIR' ? `cannot overwrite directory '${p.shownTarget}' with non-directory`
          : code === 'ENOTDIR' && (await ctx.fs.stat(p.source).catch(() => undefined))?.isDirectory() ? `cannot overwrite non-directory '${p.shownTarget}' with directory '${p.shownSource}'`
          : code === 'ENOENT' && !(await ctx.fs.stat(p.source).catch(() => undefined)) ? `cannot stat '${p.shownSource}': ${errnoMessage(err)}`
          : `cannot move '${p.shownSource}' to '${p.shownTarget}': ${errnoMessage(err)}`;
        status = await fail(ctx.stderr, 'mv', message);
        continue;
      }
      // Another file system: copy everything (as cp -a), then remove the original.
      const copied = await copyPath(p.source, p.target, p.shownSource, p.shownTarget, {
        name: 'mv', recursive: true, dereference: 'never', preserve: true, force: true, noClobber: false, verbose: false,
        umask: await currentUmask(ctx.services.procRoot), ctx,
      });
      if (copied !== 0) {
        status = 1;
        continue;
      }
      try {
        await ctx.fs.rm(p.source, { recursive: true, force: true });
      } catch (rmErr) {
        status = await fail(ctx.stderr, 'mv', `cannot remove '${p.shownSource}': ${errnoMessage(rmErr)}`);
        continue;
      }
    }
    if (verbose) await write(ctx.stdout, `renamed '${p.shownSource}' -> '${p.shownTarget}'\n`);
  }
  return status;
}

export const mv = fileBuiltin({
  name: 'mv',
  summary: 'move (rename) files',
  usage: `Usage: mv [-fnv] SOURCE... DEST
Rename SOURCE to DEST, or move SOURCEs into the directory DEST. Across file
systems (e.g. /tmp to /perm) the files are copied with mode, owner and times,
then the originals removed.

  -f   do not ask (the default; accepted for compatibility)
  -n   never overwrite an existing file
  -v   say what is moved`,
  main,
});
