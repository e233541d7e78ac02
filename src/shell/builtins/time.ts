// time COMMAND [ARG]...: run COMMAND, then print real/user/sys on stderr in busybox's
// layout. User and system time count the shell's own CPU (built-ins) plus that of
// children reaped meanwhile (cutime/cstime from /proc/self/stat, proc(5)).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Builtin } from '../types.js';
import { fail, failMissing } from './io.js';
import { write } from '../../os/index.js';

const TICKS_PER_SECOND = 100;

/** Children's user and system seconds from the text of /proc/self/stat (fields 16, 17). */
export function childTimes(stat: string): { user: number; sys: number } {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); cutime is field 16, cstime field 17.
  return { user: Number(fields[13]) / TICKS_PER_SECOND, sys: Number(fields[14]) / TICKS_PER_SECOND };
}

/** `0m 1.25s` as busybox prints durations. */
export function formatTime(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m ${(seconds - minutes * 60).toFixed(2)}s`;
}

async function readChildTimes(procRoot: string): Promise<{ user: number; sys: number }> {
  try {
    return childTimes(await readFile(join(procRoot, 'self/stat'), 'utf8'));
  } catch {
    return { user: 0, sys: 0 };
  }
}

export const time: Builtin = {
  name: 'time',
  summary: 'run a command and report the time it took',
  usage: 'Usage: time COMMAND [ARG]...\n\nRun COMMAND, then print its real (wall clock), user and system time on stderr.',
  async run(args, ctx) {
    if (args.length === 0) return failMissing(ctx.stderr, 'time', 'COMMAND');
    if (!ctx.shell.exec) return fail(ctx.stderr, 'time', 'cannot run commands here', 126);
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const children = await readChildTimes(ctx.services.procRoot);
    const result = await ctx.shell.exec(args, { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr, signal: ctx.signal });
    const real = Number(process.hrtime.bigint() - started) / 1e9;
    const own = process.cpuUsage(cpu);
    const after = await readChildTimes(ctx.services.procRoot);
    const user = own.user / 1e6 + Math.max(0, after.user - children.user);
    const sys = own.system / 1e6 + Math.max(0, after.sys - children.sys);
    await write(ctx.stderr, `real\t${formatTime(real)}\nuser\t${formatTime(user)}\nsys\t${formatTime(sys)}\n`);
    return result.code;
  },
};
