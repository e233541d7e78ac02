// cp: copy files, or directories with -r; into DEST when it is a directory.
import type { BuiltinContext } from '../types.js';
import { parseOptions } from '../options.js';
import { fileBuiltin, UsageProblem, copyPath, planTargets } from './fs/index.js';
import { currentUmask } from '../../os/index.js';

async function main(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(args, {
    flags: 'rRpafdPLHnv',
    long: { recursive: false, archive: false, force: false, 'no-dereference': false, dereference: false, 'no-clobber': false, verbose: false, preserve: false },
  });
  const archive = opts.has('a') || opts.has('archive');
  const recursive = archive || opts.has('r') || opts.has('R') || opts.has('recursive');
  const noDeref = archive || opts.has('d') || opts.has('P') || opts.has('no-dereference');
  const dereference = opts.has('L') || opts.has('dereference') ? 'always' : opts.has('H') ? 'top' : noDeref || recursive ? 'never' : 'always';
  const plan = await planTargets(opts.operands, ctx);
  if ('error' in plan) throw new UsageProblem(plan.error);
  const o = {
    name: 'cp',
    recursive,
    dereference,
    preserve: archive || opts.has('p') || opts.has('preserve'),
    force: opts.has('f') || opts.has('force'),
    noClobber: opts.has('n') || opts.has('no-clobber'),
    verbose: opts.has('v') || opts.has('verbose'),
    umask: await currentUmask(ctx.services.procRoot),
    ctx,
  } as const;
  let status = 0;
  for (const p of plan.pairs) status = Math.max(status, await copyPath(p.source, p.target, p.shownSource, p.shownTarget, o));
  return status;
}

export const cp = fileBuiltin({
  name: 'cp',
  summary: 'copy files and directories',
  usage: `Usage: cp [-rRpafdPLHnv] SOURCE... DEST
Copy SOURCE to DEST, or several SOURCEs into the directory DEST.

  -r, -R     copy directories recursively (symlinks inside are copied as links)
  -a         archive: -r, keep symlinks, preserve mode, owner and times
  -p         preserve mode, owner and times
  -f         replace a destination that cannot be opened
  -n         never overwrite an existing file
  -d, -P     copy symlinks as symlinks;  -L follow all;  -H follow those named
  -v         say what is copied`,
  main,
});
