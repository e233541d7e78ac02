// history [-c] [N]: the commands entered in this and earlier interactive sessions.
import type { Builtin } from '../types.js';
import { fail } from './io.js';
import { write } from '../../os/index.js';
import { parseOptions } from '../options.js';

export const history: Builtin = {
  name: 'history',
  summary: 'list the command history',
  usage: 'Usage: history [-c] [N]\n\nList the command history (saved in $HOME/.breakglass_history), the last N entries if given.\n\n\t-c\tclear the history',
  async run(args, ctx) {
    const opts = parseOptions(args, { flags: 'c' });
    if (opts.has('c')) {
      ctx.shell.clearHistory?.();
      return 0;
    }
    const entries = ctx.shell.history?.() ?? [];
    let start = 0;
    if (opts.operands.length > 0) {
      const n = Number(opts.operands[0]);
      if (!Number.isInteger(n) || n < 0) return fail(ctx.stderr, 'history', `${opts.operands[0]}: numeric argument required`, 2);
      start = Math.max(0, entries.length - n);
    }
    for (let i = start; i < entries.length; i++) await write(ctx.stdout, `${String(i + 1).padStart(5)}  ${entries[i]}\n`);
    return 0;
  },
};
