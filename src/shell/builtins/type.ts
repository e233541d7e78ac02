// type NAME...: sh's description of how a name would be run.
import type { Builtin } from '../types.js';
import { write } from '../../os/index.js';
import { parseOptions } from '../options.js';

export const type: Builtin = {
  name: 'type',
  summary: 'describe how a command name would be run',
  usage: 'Usage: type NAME...\n\nSay for each NAME whether it is a shell built-in or which program it runs.',
  async run(args, ctx) {
    const opts = parseOptions(args, {});
    let status = 0;
    for (const name of opts.operands) {
      const found = await ctx.shell.lookupCommand(name);
      if (found?.kind === 'builtin') await write(ctx.stdout, `${name} is a shell builtin\n`);
      else if (found?.kind === 'external') await write(ctx.stdout, `${name} is ${found.path}\n`);
      else {
        await write(ctx.stderr, `${name}: not found\n`);
        status = 1;
      }
    }
    return status;
  },
};
