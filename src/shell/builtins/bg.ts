// bg [%JOB]...: continue stopped jobs in the background.
import type { Builtin } from '../types.js';
import { fail } from './io.js';
import { write } from '../../os/index.js';

export const bg: Builtin = {
  name: 'bg',
  summary: 'continue a stopped job in the background',
  usage: 'Usage: bg [%JOB]...\n\nContinue each JOB (default: the current job) in the background.',
  async run(args, ctx) {
    const specs = args.length ? args : ['%+'];
    let status = 0;
    for (const spec of specs) {
      const id = ctx.shell.findJob?.(spec);
      if (id === undefined || !ctx.shell.background) {
        status = await fail(ctx.stderr, 'bg', args.length ? `${spec}: no such job` : 'no current job');
        continue;
      }
      const job = ctx.shell.jobList?.().find((j) => j.id === id);
      ctx.shell.background(id);
      if (job) await write(ctx.stdout, `[${id}]${job.mark} ${job.command} &\n`);
    }
    return status;
  },
};
