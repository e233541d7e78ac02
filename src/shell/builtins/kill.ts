// kill [-SIG | -s SIG | -n N] PID|%JOB...; kill -l [N|NAME]: signals by name or number.
import type { Builtin } from '../types.js';
import { signalList, signalName, signalNumber } from '../interp/index.js';
import { fail } from './io.js';
import { write } from '../../os/index.js';

async function list(args: string[], ctx: Parameters<Builtin['run']>[1]): Promise<number> {
  if (args.length === 0) {
    for (const s of signalList()) await write(ctx.stdout, `${String(s.number).padStart(2)}) ${s.name}\n`);
    return 0;
  }
  let status = 0;
  for (const a of args) {
    if (/^\d+$/.test(a)) {
      // `kill -l $?` names the signal of a 128+N status.
      const n = Number(a) > 128 ? Number(a) - 128 : Number(a);
      const name = signalName(n);
      if (name) await write(ctx.stdout, `${name}\n`);
      else status = await fail(ctx.stderr, 'kill', `${a}: invalid signal number`);
    } else {
      const n = signalNumber(a);
      if (n !== undefined) await write(ctx.stdout, `${n}\n`);
      else status = await fail(ctx.stderr, 'kill', `${a}: invalid signal name`);
    }
  }
  return status;
}

const REASONS: Record<string, string> = { ESRCH: 'No such process', EPERM: 'Operation not permitted', EINVAL: 'Invalid argument' };

export const kill: Builtin = {
  name: 'kill',
  summary: 'send a signal to processes or jobs',
  usage: 'Usage: kill [-SIG | -s SIG | -n NUM] PID|%JOB...\n       kill -l [NUM|NAME]...\n\nSend SIG (default TERM) to each PID (a negative PID is a process group) or job.\nSIG is a name (TERM, SIGKILL, hup) or a number.\n\n\t-l\tlist signal names, or translate between names and numbers',
  async run(args, ctx) {
    let signal = 'TERM';
    let i = 0;
    const first = args[0];
    if (first === '-l' || first === '-L') return list(args.slice(1), ctx);
    if (first === '-s' || first === '-n') {
      if (args[1] === undefined) return fail(ctx.stderr, 'kill', `option requires an argument -- '${first.slice(1)}'`, 2);
      signal = args[1];
      i = 2;
    } else if (first !== undefined && first.startsWith('-') && first !== '--') {
      signal = first.slice(1);
      i = 1;
    }
    if (args[i] === '--') i++;
    const number = signalNumber(signal);
    if (number === undefined) return fail(ctx.stderr, 'kill', `bad signal name '${signal}'`, 2);
    const targets = args.slice(i);
    if (targets.length === 0) return fail(ctx.stderr, 'kill', 'missing PID or %JOB (kill -l lists signals)', 2);
    const name = number === 0 ? 0 : `SIG${signalName(number)!}`;
    let status = 0;
    for (const target of targets) {
      if (target.startsWith('%')) {
        const id = ctx.shell.findJob?.(target);
        if (id === undefined || !ctx.shell.signalJob) {
          status = await fail(ctx.stderr, 'kill', `${target}: no such job`);
          continue;
        }
        ctx.shell.signalJob(id, name === 0 ? 'SIGCONT' : name);
        continue;
      }
      if (!/^-?\d+$/.test(target)) {
        status = await fail(ctx.stderr, 'kill', `invalid number '${target}'`);
        continue;
      }
      try {
        process.kill(Number(target), name);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? '';
        status = await fail(ctx.stderr, 'kill', `can't kill pid ${target}: ${REASONS[code] ?? code}`);
      }
    }
    return status;
  },
};
