// free: memory use from /proc/meminfo in the procps-ng 4 layout (free(1)).
import { formatFreeHuman, readMeminfo, summarizeMemory } from '../../proc/index.js';
import type { MemorySummary } from '../../proc/index.js';
import type { Builtin, BuiltinContext } from '../types.js';
import { fail } from './io.js';
import { write } from '../../os/index.js';
import { parseOrExit } from './system-util.js';

const USAGE = `Usage: free [-b|-k|-m|-g|-h] [--si] [-w] [-t] [--json]
Show memory and swap use, from /proc/meminfo (procps-ng layout).
  -b, -k, -m, -g   bytes, KiB (default), MiB, GiB
  -h, --human      human-readable units (B, Ki, Mi, Gi, …)
      --si         powers of 1000 instead of 1024
  -w, --wide       separate buffers and cache columns
  -t, --total      add a Total: line (RAM + swap)
      --json       {"mem": {total, used, free, shared, buffers, cache, available},
                    "swap": {total, used, free}} in KiB
`;

async function runFree(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = await parseOrExit('free', USAGE, args, {
    flags: 'bkmghwt',
    long: { human: false, si: false, wide: false, total: false, json: false, bytes: false, kibi: false, mebi: false, gibi: false },
  }, ctx);
  if (typeof opts === 'number') return opts;
  let mem: MemorySummary;
  try {
    mem = summarizeMemory(await readMeminfo(ctx.services.procRoot));
  } catch (err) {
    return fail(ctx.stderr, 'free', `cannot read ${ctx.services.procRoot}/meminfo: ${(err as Error).message}`);
  }
  if (opts.has('json')) {
    const { total, used, free, shared, buffers, cache, available, swapTotal, swapUsed, swapFree } = mem;
    await write(ctx.stdout, `${JSON.stringify({ unit: 'KiB', mem: { total, used, free, shared, buffers, cache, available }, swap: { total: swapTotal, used: swapUsed, free: swapFree } })}\n`);
    return 0;
  }
  const si = opts.has('si');
  const base = si ? 1000 : 1024;
  const human = opts.has('h') || opts.has('human');
  const divisor = opts.has('b') || opts.has('bytes') ? 1 / 1024 : opts.has('m') || opts.has('mebi') ? base : opts.has('g') || opts.has('gibi') ? base * base : 1;
  // procps divides the byte count and truncates.
  const show = (kb: number): string => (human ? formatFreeHuman(kb * 1024, si) : String(Math.floor((kb * 1024) / (divisor * 1024))));
  const wide = opts.has('w') || opts.has('wide');
  const header = wide ? ['total', 'used', 'free', 'shared', 'buffers', 'cache', 'available'] : ['total', 'used', 'free', 'shared', 'buff/cache', 'available'];
  const row = (label: string, values: number[]): string => label.padEnd(8) + values.map((v) => show(v).padStart(12)).join('');
  const lines = [
    ' '.repeat(8) + header.map((h) => h.padStart(12)).join(''),
    row('Mem:', wide ? [mem.total, mem.used, mem.free, mem.shared, mem.buffers, mem.cache, mem.available] : [mem.total, mem.used, mem.free, mem.shared, mem.buffCache, mem.available]),
    row('Swap:', [mem.swapTotal, mem.swapUsed, mem.swapFree]),
  ];
  if (opts.has('t') || opts.has('total')) lines.push(row('Total:', [mem.total + mem.swapTotal, mem.used + mem.swapUsed, mem.free + mem.swapFree]));
  await write(ctx.stdout, `${lines.join('\n')}\n`);
  return 0;
}

export const free: Builtin = { name: 'free', summary: 'memory and swap use (-h, -m, --json)', usage: USAGE, run: runFree };
