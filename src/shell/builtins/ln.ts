// ln: make links; -s symbolic, -f replaces an existing name. With a directory as the
// last operand the links are made inside it.
import { basename } from 'node:path';
import type { BuiltinContext } from '../types.js';
import { fail } from './io.js';
import { write, errnoMessage } from '../../os/index.js';
import { parseOptions } from '../options.js';
import { fileBuiltin, UsageProblem } from './fs/index.js';

async function main(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(args, {
    flags: 'sfnvT',
    long: { symbolic: false, force: false, 'no-dereference': false, verbose: false, 'no-target-directory': false },
  });
  const symbolic = opts.has('s') || opts.has('symbolic');
  const force = opts.has('f') || opts.has('force');
  const noDeref = opts.has('n') || opts.has('no-dereference');
  const verbose = opts.has('v') || opts.has('verbose');
  const operands = opts.operands;
  if (operands.length === 0) throw new UsageProblem('missing file operand');
  let targets = operands;
  let dest: string | undefined;
  let intoDir = false;
  if (operands.length === 1) {
    dest = '.';
    intoDir = true;
  } else {
    dest = operands.at(-1)!;
    targets = operands.slice(0, -1);
    const d = ctx.resolve(dest);
    const info = opts.has('T') || opts.has('no-target-directory') ? undefined : noDeref ? await ctx.fs.lstat(d).catch(() => undefined) : await ctx.fs.stat(d).catch(() => undefined);
    intoDir = info?.isDirectory() ?? false;
    if (!intoDir && targets.length > 1) throw new UsageProblem(`target '${dest}' is not a directory`);
  }
  let status = 0;
  for (const target of targets) {
    const name = intoDir ? (dest === '.' ? basename(target) : `${dest.replace(/\/+$/, '')}/${basename(target)}`) : dest;
    const path = ctx.resolve(name);
    const kind = symbolic ? 'symbolic link' : 'hard link';
    try {
      if (force) {
        const existing = await ctx.fs.lstat(path).catch(() => undefined);
        if (existing && !existing.isDirectory()) await ctx.fs.unlink(path);
      }
      // A symlink's target is stored as typed; a hard link needs the real file.
      if (symbolic) await ctx.fs.symlink(target, path);
      else await ctx.fs.link(ctx.resolve(target), path);
      if (verbose) await write(ctx.stdout, `'${name}' ${symbolic ? '->' : '=>'} '${target}'\n`);
    } catch (err) {
      const code = (err as { code?: string }).code;
      const detail = !symbolic && code === 'ENOENT' ? `failed to access '${target}'` : `failed to create ${kind} '${name}'${symbolic ? '' : ` => '${target}'`}`;
      status = await fail(ctx.stderr, 'ln', `${detail}: ${errnoMessage(err)}`);
    }
  }
  return status;
}

export const ln = fileBuiltin({
  name: 'ln',
  summary: 'make hard or symbolic links',
  usage: `Usage: ln [-sfnvT] TARGET [LINK_NAME]
       ln [-sfnv] TARGET... DIRECTORY
Make LINK_NAME a link to TARGET (a hard link unless -s), or links inside
DIRECTORY named like each TARGET, or in the current directory when no LINK_NAME.

  -s, --symbolic          make symbolic links (TARGET is stored as typed)
  -f, --force             remove existing destination files
  -n, --no-dereference    treat a LINK_NAME that is a symlink to a directory as a file
  -T                      LINK_NAME is never a directory to create the link in
  -v, --verbose           say what is linked`,
  main,
});
