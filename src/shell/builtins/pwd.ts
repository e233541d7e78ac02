// pwd: the shell's current directory (-P: with symlinks resolved).
import type { Builtin } from '../types.js';
import { write } from '../../os/index.js';
import { parseOptions } from '../options.js';

export const pwd: Builtin = {
  name: 'pwd',
  summary: 'print the current directory',
  usage: 'Usage: pwd [-L|-P]\n\nPrint the current directory.\n\n\t-P\tresolve symbolic links',
  async run(args, ctx) {
    const opts = parseOptions(args, { flags: 'LP' });
    const dir = opts.has('P') ? await ctx.fs.realpath(ctx.cwd) : ctx.cwd;
    await write(ctx.stdout, `${dir}\n`);
    return 0;
  },
};
