// unset NAME...: remove shell variables (and so from the environment of commands).
import type { Builtin } from '../types.js';
import { fail } from './io.js';
import { parseOptions } from '../options.js';

export const unset: Builtin = {
  name: 'unset',
  summary: 'remove variables',
  usage: 'Usage: unset [-v] NAME...\n\nRemove each variable NAME. (This shell has no functions, so -f is refused.)',
  async run(args, ctx) {
    const opts = parseOptions(args, { flags: 'vf' });
    if (opts.has('f')) return fail(ctx.stderr, 'unset', "-f: functions are not supported by the breakglass shell; run the toolbox's sh");
    let status = 0;
    for (const name of opts.operands) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        status = await fail(ctx.stderr, 'unset', `${name}: bad variable name`);
        continue;
      }
      ctx.shell.unsetVar(name);
    }
    return status;
  },
};
