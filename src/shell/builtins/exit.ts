// exit [N]: ends the shell after this command; without N, with the last status.
import type { Builtin } from '../types.js';
import { fail } from './io.js';

export const exit: Builtin = {
  name: 'exit',
  aliases: ['logout'],
  summary: 'leave the shell',
  usage: 'Usage: exit [N]\n\nExit the shell with status N (0-255), or with the status of the last command.',
  async run(args, ctx) {
    if (args.length > 1) return fail(ctx.stderr, 'exit', 'too many arguments', 2);
    let code = ctx.shell.lastStatus?.() ?? 0;
    if (args.length === 1) {
      if (!/^-?\d+$/.test(args[0]!)) {
        ctx.shell.exit?.(2);
        return fail(ctx.stderr, 'exit', `Illegal number: ${args[0]}`, 2);
      }
      code = Number(args[0]) & 0xff;
    }
    ctx.shell.exit?.(code);
    return code;
  },
};
