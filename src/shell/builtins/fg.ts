// fg [%JOB]: continue a stopped or background job in the foreground.
import type { Builtin } from '../types.js';
import { fail } from './io.js';
import { write } from '../../os/index.js';

export const fg: Builtin = {
  name: 'fg',
  summary: 'bring a job to the foreground',
  usage: 'Usage: fg [%JOB]\n\nContinue JOB (default: the current job, %+) in the foreground.\nJOB is %N, %+, %-, %NAME or a PID.',
  async run(args, ctx) {
    const spec = args[0] ?? '%+';
    const id = ctx.shell.findJob?.(spec);
    if (id === undefined || !ctx.shell.foreground) return fail(ctx.stderr, 'fg', args[0] ? `${spec}: no such job` : 'no current job');
    const job = ctx.shell.jobList?.().find((j) => j.id === id);
    if (job) await write(ctx.stdout, `${job.command}\n`);
    const result = await ctx.shell.foreground(id);
    return result.code;
  },
};
