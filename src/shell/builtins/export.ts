// export [NAME[=VALUE]]...: mark variables for the environment of commands; without
// arguments (or -p) list them in a form the shell can read back.
import type { Builtin } from '../types.js';
import { fail } from './io.js';
import { write } from '../../os/index.js';
import { parseOptions } from '../options.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `'it'\''s'` quoting for listings. */
export function quoteValue(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export const exportBuiltin: Builtin = {
  name: 'export',
  summary: 'set environment variables for commands',
  usage: 'Usage: export [-p] [NAME[=VALUE]]...\n\nMark each NAME for the environment of commands run from now on, setting it to VALUE if given.\nWithout arguments or with -p, list the exported variables.',
  async run(args, ctx) {
    const opts = parseOptions(args, { flags: 'p' });
    if (opts.operands.length === 0) {
      const env = ctx.shell.environ();
      for (const name of Object.keys(env).sort()) await write(ctx.stdout, `export ${name}=${quoteValue(env[name]!)}\n`);
      return 0;
    }
    let status = 0;
    for (const operand of opts.operands) {
      const eq = operand.indexOf('=');
      const name = eq === -1 ? operand : operand.slice(0, eq);
      if (!NAME.test(name)) {
        status = await fail(ctx.stderr, 'export', `${operand}: bad variable name`);
        continue;
      }
      const value = eq === -1 ? ctx.shell.getVar(name) : operand.slice(eq + 1);
      ctx.shell.setVar(name, value ?? '', true);
    }
    return status;
  },
};
