// which [-a] NAME...: where a command comes from (built-in or the PATH entry).
import { allOnPath } from '../files/index.js';
import type { Builtin } from '../types.js';
import { write } from '../../os/index.js';
import { parseOptions } from '../options.js';

export const which: Builtin = {
  name: 'which',
  summary: 'show where a command comes from',
  usage: 'Usage: which [-a] COMMAND...\n\nPrint the program that COMMAND runs: "NAME: shell built-in", or its path on PATH.\nExit 1 if any COMMAND is not found.\n\n\t-a\tlist every match on PATH',
  async run(args, ctx) {
    const opts = parseOptions(args, { flags: 'a' });
    let status = 0;
    for (const name of opts.operands) {
      const found = await ctx.shell.lookupCommand(name);
      if (found?.kind === 'builtin') await write(ctx.stdout, `${name}: shell built-in\n`);
      if (opts.has('a') && !name.includes('/')) {
        const paths = await allOnPath(ctx.fs, name, ctx.shell.getVar('PATH') ?? '');
        for (const p of paths) await write(ctx.stdout, `${p}\n`);
        if (paths.length === 0 && found?.kind !== 'builtin') status = 1;
        continue;
      }
      if (found?.kind === 'external') await write(ctx.stdout, `${found.path}\n`);
      if (!found) status = 1;
    }
    return opts.operands.length === 0 ? 1 : status;
  },
};
