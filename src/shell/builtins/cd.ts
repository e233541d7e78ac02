// cd [DIR]: without DIR to $HOME; `cd -` returns to $OLDPWD and prints it.
import type { Builtin } from '../types.js';
import { fail } from './io.js';
import { write } from '../../os/index.js';
import { parseOptions } from '../options.js';

export const cd: Builtin = {
  name: 'cd',
  summary: 'change the current directory',
  usage: 'Usage: cd [-L|-P] [DIR]\n\nChange the current directory to DIR (default $HOME). "cd -" goes back to $OLDPWD.',
  async run(args, ctx) {
    const opts = parseOptions(args, { flags: 'LP' });
    if (opts.operands.length > 1) return fail(ctx.stderr, 'cd', 'too many arguments');
    let dir: string | undefined = opts.operands[0];
    let print = false;
    if (dir === undefined || dir === '') {
      dir = ctx.shell.getVar('HOME');
      if (!dir) return fail(ctx.stderr, 'cd', 'HOME not set');
    } else if (dir === '-') {
      dir = ctx.shell.getVar('OLDPWD');
      if (!dir) return fail(ctx.stderr, 'cd', 'OLDPWD not set');
      print = true;
    }
    try {
      await ctx.shell.chdir(ctx.resolve(dir));
    } catch (err) {
      return fail(ctx.stderr, 'cd', (err as Error).message.replace(ctx.resolve(dir), dir));
    }
    if (print) await write(ctx.stdout, `${ctx.shell.getVar('PWD') ?? dir}\n`);
    return 0;
  },
};
