// wait [%JOB|PID]...: wait for background jobs; the status is the last one's.
import type { Builtin } from '../types.js';
import { fail } from './io.js';

export const wait: Builtin = {
  name: 'wait',
  summary: 'wait for background jobs to finish',
  usage: 'Usage: wait [%JOB|PID]...\n\nWait for the given jobs (default: all) and return the last one\'s exit status. ^C stops waiting.',
  async run(args, ctx) {
    const shell = ctx.shell;
    if (!shell.waitJob || !shell.jobList) return fail(ctx.stderr, 'wait', 'job control is not available here');
    const ids: Array<number | undefined> = args.length
      ? args.map((spec) => shell.findJob?.(spec))
      : shell.jobList().filter((j) => j.state !== 'Stopped').map((j) => j.id);
    let status = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id === undefined) {
        status = await fail(ctx.stderr, 'wait', `${args[i]}: no such job`, 127);
        continue;
      }
      try {
        const result = await shell.waitJob(id, ctx.signal);
        status = args.length ? result.code : 0;
      } catch {
        return 130;
      }
    }
    return status;
  },
};
