// env [-i] [-u NAME] [NAME=VALUE]... [COMMAND [ARG]...]: print the environment, or run
// a command with a changed one.
import type { Builtin } from '../types.js';
import { fail } from './io.js';
import { write } from '../../os/index.js';
import { parseOptions } from '../options.js';

export const env: Builtin = {
  name: 'env',
  summary: 'print the environment or run a command in a changed one',
  usage: 'Usage: env [-i] [-u NAME]... [NAME=VALUE]... [COMMAND [ARG]...]\n\nWithout COMMAND print the environment, one NAME=VALUE per line.\n\n\t-i\tstart with an empty environment\n\t-u NAME\tremove NAME from the environment',
  async run(args, ctx) {
    // A lone `-` is the historical spelling of -i.
    const normalized = args.map((a) => (a === '-' ? '-i' : a));
    const opts = parseOptions(normalized, { flags: 'i0', values: 'u', long: { ignore_environment: false, unset: true }, stopAtOperand: true });
    const clear = opts.has('i') || opts.has('ignore_environment');
    const removed = new Set([...opts.all('u'), ...opts.all('unset')]);
    const extra: Record<string, string> = {};
    let i = 0;
    const operands = opts.operands;
    for (; i < operands.length; i++) {
      const m = /^([^=]+)=(.*)$/s.exec(operands[i]!);
      if (!m) break;
      extra[m[1]!] = m[2]!;
    }
    const base = clear ? {} : ctx.shell.environ();
    const environment: Record<string, string> = { ...base, ...extra };
    for (const name of removed) delete environment[name];
    const command = operands.slice(i);
    if (command.length === 0) {
      const end = opts.has('0') ? '\0' : '\n';
      for (const [k, v] of Object.entries(environment)) await write(ctx.stdout, `${k}=${v}${end}`);
      return 0;
    }
    if (!ctx.shell.exec) return fail(ctx.stderr, 'env', 'cannot run commands here', 126);
    // Run with exactly this environment (removals included): start empty, pass all.
    const result = await ctx.shell.exec(command, { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr, signal: ctx.signal, env: environment, clearEnv: true });
    return result.code;
  },
};
