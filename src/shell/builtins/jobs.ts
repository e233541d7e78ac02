// jobs [-l|-p]: the background and stopped jobs of this shell.
import type { Builtin, JobSummary } from '../types.js';
import { write } from '../../os/index.js';
import { parseOptions } from '../options.js';

/** `Running`, `Stopped`, `Done`, `Exit 3`, `Killed` … as bash shows a job's state. */
export function jobStateText(job: JobSummary): string {
  if (job.state !== 'Done') return job.state;
  const status = job.status;
  if (!status || status.code === 0) return 'Done';
  if (status.signal) return { KILL: 'Killed', TERM: 'Terminated', HUP: 'Hangup', INT: 'Interrupt', PIPE: 'Broken pipe' }[status.signal] ?? `Signal ${status.signal}`;
  return `Exit ${status.code}`;
}

/** One line of `jobs`: `[1]+  Running                 sleep 10 &`. */
export function jobLine(job: JobSummary, withPid = false): string {
  const pid = withPid ? `${job.pids.at(-1) ?? ''} ` : ' ';
  const amp = job.state === 'Running' ? ' &' : '';
  return `[${job.id}]${job.mark} ${pid}${jobStateText(job).padEnd(24)}${job.command}${amp}`;
}

export const jobs: Builtin = {
  name: 'jobs',
  summary: 'list background and stopped jobs',
  usage: 'Usage: jobs [-l|-p]\n\nList the jobs of this shell.\n\n\t-l\talso show process IDs\n\t-p\tshow only process IDs',
  async run(args, ctx) {
    const opts = parseOptions(args, { flags: 'lp' });
    for (const job of ctx.shell.jobList?.() ?? []) {
      if (opts.has('p')) {
        for (const pid of job.pids) await write(ctx.stdout, `${pid}\n`);
        continue;
      }
      await write(ctx.stdout, `${jobLine(job, opts.has('l'))}\n`);
    }
    return 0;
  },
};
