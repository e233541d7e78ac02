// rmdir: remove empty directories; -p removes the named parents too.
import { dirname } from 'node:path';
import type { BuiltinContext } from '../types.js';
import { fail } from './io.js';
import { write, errnoCode, errnoMessage } from '../../os/index.js';
import { parseOptions } from '../options.js';
import { fileBuiltin, UsageProblem } from './fs/index.js';

async function main(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(args, { flags: 'pv', long: { parents: false, verbose: false, 'ignore-fail-on-non-empty': false } });
  if (opts.operands.length === 0) throw new UsageProblem('missing operand');
  const ignoreNonEmpty = opts.has('ignore-fail-on-non-empty');
  const verbose = opts.has('v') || opts.has('verbose');
  let status = 0;
  for (const operand of opts.operands) {
    // -p: a/b/c, then a/b, then a — as the operand spells them.
    const chain = [operand.replace(/\/+$/, '') || operand];
    if (opts.has('p') || opts.has('parents')) {
      for (let d = dirname(chain[0]!); d !== '.' && d !== '/' && d !== chain.at(-1); d = dirname(d)) chain.push(d);
    }
    for (const dir of chain) {
      try {
        await ctx.fs.rmdir(ctx.resolve(dir));
        if (verbose) await write(ctx.stdout, `rmdir: removing directory, '${dir}'\n`);
      } catch (err) {
        const code = errnoCode(err);
        if (!(ignoreNonEmpty && (code === 'ENOTEMPTY' || code === 'EEXIST'))) {
          status = await fail(ctx.stderr, 'rmdir', `failed to remove '${dir}': ${errnoMessage(err)}`);
        }
        break;
      }
    }
  }
  return status;
}

export const rmdir = fileBuiltin({
  name: 'rmdir',
  summary: 'remove empty directories',
  usage: `Usage: rmdir [-pv] [--ignore-fail-on-non-empty] DIRECTORY...
Remove each DIRECTORY if it is empty.

  -p, --parents   also remove the parents named in DIRECTORY (a/b/c, a/b, a)
  -v, --verbose   say what is removed
  --ignore-fail-on-non-empty   say nothing about directories that are not empty`,
  main,
});
