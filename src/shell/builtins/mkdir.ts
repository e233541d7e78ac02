// mkdir: make directories; -p makes parents and accepts existing ones; -m sets the mode
// (octal or symbolic, relative to a=rwx as coreutils does).
import type { BuiltinContext } from '../types.js';
import { fail } from './io.js';
import { write, errnoCode, errnoMessage, currentUmask, parseMode } from '../../os/index.js';
import { parseOptions } from '../options.js';
import { fileBuiltin, UsageProblem } from './fs/index.js';

async function main(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(args, { flags: 'pv', values: 'm', long: { parents: false, verbose: false, mode: true } });
  if (opts.operands.length === 0) throw new UsageProblem('missing operand');
  const modeText = opts.get('m') ?? opts.get('mode');
  let mode: number | undefined;
  if (modeText !== undefined) {
    const change = parseMode(modeText, 0);
    if (!change) throw new UsageProblem(`invalid mode '${modeText}'`);
    mode = change(0o777, true);
  }
  const parents = opts.has('p') || opts.has('parents');
  const verbose = opts.has('v') || opts.has('verbose');
  const umask = await currentUmask(ctx.services.procRoot);
  let status = 0;
  for (const operand of opts.operands) {
    const path = ctx.resolve(operand);
    try {
      if (parents) {
        const existing = await ctx.fs.stat(path).catch(() => undefined);
        if (existing?.isDirectory()) continue;
        // Parents get u+wx so the rest of the path can be made (coreutils).
        await ctx.fs.mkdir(path, { recursive: true, mode: (0o777 & ~umask) | 0o300 });
      } else {
        await ctx.fs.mkdir(path);
      }
      if (mode !== undefined) await ctx.fs.chmod(path, mode);
      else if (parents) await ctx.fs.chmod(path, 0o777 & ~umask);
      if (verbose) await write(ctx.stdout, `mkdir: created directory '${operand}'\n`);
    } catch (err) {
      const message = parents && errnoCode(err) === 'EEXIST' ? 'Not a directory' : errnoMessage(err);
      status = await fail(ctx.stderr, 'mkdir', `cannot create directory '${operand}': ${message}`);
    }
  }
  return status;
}

export const mkdir = fileBuiltin({
  name: 'mkdir',
  summary: 'make directories',
  usage: `Usage: mkdir [-pv] [-m MODE] DIRECTORY...
Create each DIRECTORY.

  -p, --parents   make parent directories as needed; no error if it exists
  -m, --mode=MODE set the mode (octal like 700, or symbolic like u=rwx,go=)
  -v, --verbose   say what is created`,
  main,
});
