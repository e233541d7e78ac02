// uptime: ` 10:01:02 up 3 days,  2:03,  load average: 0.00, 0.01, 0.05` (busybox layout;
// the device keeps no utmp, so no user count).
import { readLoadavg, readUptime } from '../../proc/index.js';
import type { Builtin, BuiltinContext } from '../types.js';
import { fail } from './io.js';
import { write } from '../../os/index.js';
import { parseOrExit } from './system-util.js';

const USAGE = `Usage: uptime [-p] [-s] [--json]
Show the time, how long the system has been up and the load averages.
  -p, --pretty   "up 3 days, 2 hours, 3 minutes"
  -s, --since    boot time, "yyyy-mm-dd HH:MM:SS"
      --json     {"uptime_seconds", "boot_time", "load": [1, 5, 15 min]}
`;

const two = (n: number): string => String(n).padStart(2, '0');

/** busybox uptime's line for a given wall clock and seconds since boot. */
export function formatUptimeLine(now: Date, upSeconds: number, load: [number, number, number]): string {
  const up = Math.floor(upSeconds);
  const days = Math.floor(up / 86400);
  const minutes = Math.floor(up / 60);
  const hours = Math.floor(minutes / 60) % 24;
  let text = ` ${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())} up `;
  if (days > 0) text += `${days} day${days === 1 ? '' : 's'}, `;
  text += hours > 0 ? `${String(hours).padStart(2)}:${two(minutes % 60)}` : `${minutes % 60} min`;
  return `${text},  load average: ${load.map((l) => l.toFixed(2)).join(', ')}`;
}

/** procps `uptime -p`. */
export function formatPrettyUptime(upSeconds: number): string {
  const minutesTotal = Math.floor(upSeconds / 60);
  const parts: string[] = [];
  const units: Array<[string, number]> = [['year', 525600], ['week', 10080], ['day', 1440], ['hour', 60], ['minute', 1]];
  let rest = minutesTotal;
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    rest %= size;
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  return `up ${parts.length > 0 ? parts.join(', ') : '0 minutes'}`;
}

function formatLocal(d: Date): string {
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

async function runUptime(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = await parseOrExit('uptime', USAGE, args, { flags: 'ps', long: { pretty: false, since: false, json: false } }, ctx);
  if (typeof opts === 'number') return opts;
  if (opts.operands.length > 0) return fail(ctx.stderr, 'uptime', `extra operand '${opts.operands[0]}'`, 2);
  try {
    const [uptime, load] = await Promise.all([readUptime(ctx.services.procRoot), readLoadavg(ctx.services.procRoot)]);
    const now = new Date();
    const boot = new Date(now.getTime() - uptime.seconds * 1000);
    let line: string;
    if (opts.has('json')) {
      line = JSON.stringify({ uptime_seconds: uptime.seconds, boot_time: boot.toISOString(), load: [load.one, load.five, load.fifteen] });
    } else if (opts.has('p') || opts.has('pretty')) line = formatPrettyUptime(uptime.seconds);
    else if (opts.has('s') || opts.has('since')) line = formatLocal(boot);
    else line = formatUptimeLine(now, uptime.seconds, [load.one, load.five, load.fifteen]);
    await write(ctx.stdout, `${line}\n`);
    return 0;
  } catch (err) {
    return fail(ctx.stderr, 'uptime', `cannot read ${ctx.services.procRoot}/uptime or loadavg: ${(err as Error).message}`);
  }
}

export const uptime: Builtin = { name: 'uptime', summary: 'time since boot and load averages', usage: USAGE, run: runUptime };
