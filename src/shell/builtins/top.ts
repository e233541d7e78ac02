// top: a refreshing view of CPU and memory per process (procps-ng top layout). Each frame
// compares two samples of /proc/stat and /proc/PID/stat; rows are sorted by %CPU. On a
// terminal it redraws in place and reads keys raw (q quits); otherwise, or with -b, it
// prints frames one after another (-n N frames).
import {
  CLOCK_TICKS,
  cpuPercentages,
  formatTopTime,
  readAllProcesses,
  readLoadavg,
  readMeminfo,
  readPageSize,
  readSystemStat,
  readUptime,
  readUserNames,
  summarizeMemory,
  userName,
} from '../../proc/index.js';
import type { CpuTimes, ProcessInfo, UserNames } from '../../proc/index.js';
import type { Builtin, BuiltinContext } from '../types.js';
import { BrokenPipe, write } from '../../os/index.js';
import { fail } from './io.js';
import { clip, parseOrExit, usageError } from './system-util.js';
import { formatUptimeLine } from './uptime.js';

const USAGE = `Usage: top [-b] [-n N] [-d SECONDS] [-p PID[,PID…]]
Show processes sorted by CPU use, refreshed every few seconds (q or ^C quits).
  -b          batch mode: print frames one after another (default when not a terminal)
  -n N        stop after N frames (-n 1: one frame; the first covers half a second)
  -d SECONDS  delay between frames (default 3)
  -p LIST     only these PIDs
Keys on a terminal: q quit, space refresh now.
`;

const FIRST_SAMPLE_MS = 500;

interface Sample {
  atMs: number;
  cpu: CpuTimes;
  processes: Map<number, ProcessInfo>;
}

async function takeSample(procRoot: string, pids: number[] | undefined): Promise<Sample> {
  const [stat, list] = await Promise.all([
    readSystemStat(procRoot),
    readAllProcesses(procRoot, { cmdline: false, uid: true, statm: true, ...(pids ? { pids } : {}) }),
  ]);
  return { atMs: Date.now(), cpu: stat.cpu, processes: new Map(list.map((p) => [p.pid, p])) };
}

/** top's memory columns: KiB, or scaled with a suffix when too wide. */
export function scaleKb(kb: number, width: number): string {
  const plain = String(Math.round(kb));
  if (plain.length <= width) return plain;
  const units = ['m', 'g', 't', 'p'];
  let value = kb;
  for (const unit of units) {
    value /= 1024;
    const text = `${value.toFixed(value < 1000 ? 1 : 0)}${unit}`;
    if (text.length <= width) return text;
  }
  return `${Math.round(value)}p`;
}

interface Frame {
  header: string[];
  rows: string[];
}

export const TOP_COLUMNS = '    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND';

async function buildFrame(before: Sample, after: Sample, procRoot: string, users: UserNames, pageSize: number): Promise<Frame> {
  const [uptime, load, meminfo] = await Promise.all([readUptime(procRoot), readLoadavg(procRoot), readMeminfo(procRoot)]);
  const mem = summarizeMemory(meminfo);
  const seconds = Math.max(0.001, (after.atMs - before.atMs) / 1000);
  const list = [...after.processes.values()];
  const count = (states: string): number => list.filter((p) => states.includes(p.state)).length;
  const pct = cpuPercentages(before.cpu, after.cpu);
  const f1 = (n: number): string => n.toFixed(1).padStart(5);
  const mib = (kb: number): string => (kb / 1024).toFixed(1).padStart(9);
  const header = [
    `top -${formatUptimeLine(new Date(), uptime.seconds, [load.one, load.five, load.fifteen])}`,
    `Tasks: ${String(list.length).padStart(3)} total, ${String(count('R')).padStart(3)} running, ${String(count('SDI')).padStart(3)} sleeping, ${String(count('Tt')).padStart(3)} stopped, ${String(count('Z')).padStart(3)} zombie`,
    `%Cpu(s):${f1(pct.user)} us,${f1(pct.system)} sy,${f1(pct.nice)} ni,${f1(pct.idle)} id,${f1(pct.iowait)} wa,${f1(pct.irq)} hi,${f1(pct.softirq)} si,${f1(pct.steal)} st`,
    `MiB Mem : ${mib(mem.total)} total, ${mib(mem.free)} free, ${mib(mem.used)} used, ${mib(mem.buffCache)} buff/cache`,
    `MiB Swap: ${mib(mem.swapTotal)} total, ${mib(mem.swapFree)} free, ${mib(mem.swapUsed)} used. ${mib(mem.available)} avail Mem`,
  ];
  const rows = list
    .map((p) => {
      const prev = before.processes.get(p.pid);
      const ticks = p.utime + p.stime - (prev && prev.startTime === p.startTime ? prev.utime + prev.stime : p.utime + p.stime);
      return { p, cpu: (ticks * 100) / CLOCK_TICKS / seconds };
    })
    .sort((a, b) => b.cpu - a.cpu || a.p.pid - b.p.pid)
    .map(({ p, cpu }) => {
      const rssKb = (p.rss * pageSize) / 1024;
      const shrKb = ((p.statm?.shared ?? 0) * pageSize) / 1024;
      const memPct = mem.total > 0 ? (rssKb * 100) / mem.total : 0;
      const pr = p.priority <= -100 ? 'rt' : String(p.priority);
      return [
        String(p.pid).padStart(7),
        userName(users, p.uid).slice(0, 8).padEnd(8),
        pr.padStart(3),
        String(p.nice).padStart(3),
        scaleKb(p.vsize / 1024, 7).padStart(7),
        scaleKb(rssKb, 6).padStart(6),
        scaleKb(shrKb, 6).padStart(6),
        p.state,
        cpu.toFixed(1).padStart(5),
        memPct.toFixed(1).padStart(5),
        formatTopTime(p.utime + p.stime, CLOCK_TICKS).padStart(9),
        p.comm,
      ].join(' ');
    });
  return { header, rows };
}

/** Waits `ms`, or less when a key or abort arrives; resolves with the key that ended it. */
function waitForKey(ms: number, ctx: BuiltinContext, keys: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(undefined), ms);
    const onAbort = (): void => done(undefined);
    const poll = setInterval(() => {
      if (keys.length > 0) done(keys.shift());
    }, 20);
    function done(key: string | undefined): void {
      clearTimeout(timer);
      clearInterval(poll);
      ctx.signal.removeEventListener('abort', onAbort);
      resolve(key);
    }
    if (keys.length > 0) return done(keys.shift());
    ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function runTop(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = await parseOrExit('top', USAGE, args, { flags: 'bSHci', values: 'ndpo' }, ctx);
  if (typeof opts === 'number') return opts;
  const iterationsText = opts.get('n');
  const iterations = iterationsText === undefined ? Infinity : Number(iterationsText);
  if (!(iterations === Infinity || Number.isInteger(iterations)) || iterations < 1) return usageError('top', `-n needs a positive whole number, not '${iterationsText}'`, ctx);
  const delayText = opts.get('d') ?? '3';
  const delaySeconds = Number(delayText);
  if (!Number.isFinite(delaySeconds) || delaySeconds < 0.1) return usageError('top', `-d needs seconds (0.1 or more), not '${delayText}'`, ctx);
  const pidText = opts.all('p').flatMap((v) => v.split(',')).filter(Boolean);
  if (pidText.some((p) => !/^\d+$/.test(p))) return usageError('top', `-p takes process IDs, not '${pidText.join(',')}'`, ctx);
  const pids = pidText.length > 0 ? pidText.map(Number) : undefined;
  const interactive = ctx.isTTY && !opts.has('b');
  const procRoot = ctx.services.procRoot;

  const keys: string[] = [];
  const onData = (chunk: Buffer | string): void => {
    for (const ch of chunk.toString()) keys.push(ch);
  };
  if (interactive) ctx.stdin.on('data', onData);
  // The shell turns \n into \r\n on a pty; \x1b[K clears what the last frame left.
  const eol = interactive ? '\x1b[K\n' : '\n';
  try {
    const [users, pageSize] = await Promise.all([readUserNames(), readPageSize(procRoot)]);
    let before = await takeSample(procRoot, pids);
    if (interactive) await write(ctx.stdout, '\x1b[?25l');
    let wait = FIRST_SAMPLE_MS;
    for (let frame = 0; frame < iterations; frame++) {
      const key = await waitForKey(wait, ctx, keys);
      if (ctx.signal.aborted) return 130;
      // A key pressed before the first frame still gets that frame drawn, then acts.
      if ((key === 'q' || key === '\x03') && frame > 0) return 0;
      if (key === 'q' || key === '\x03') keys.unshift(key);
      const after = await takeSample(procRoot, pids);
      const { header, rows } = await buildFrame(before, after, procRoot, users, pageSize);
      before = after;
      let lines = [...header, '', TOP_COLUMNS, ...rows];
      if (interactive) {
        lines = lines.slice(0, Math.max(1, ctx.terminal.rows - 1)).map((l) => clip(l, ctx.terminal.cols));
        await write(ctx.stdout, `\x1b[H${lines.join(eol)}${eol}\x1b[J`);
      } else {
        await write(ctx.stdout, `${frame > 0 ? '\n' : ''}${lines.join('\n')}\n`);
      }
      wait = delaySeconds * 1000;
    }
    return 0;
  } catch (err) {
    if (err instanceof BrokenPipe) throw err;
    return fail(ctx.stderr, 'top', `cannot read ${procRoot}: ${(err as Error).message}`);
  } finally {
    if (interactive) {
      ctx.stdin.off('data', onData);
      await write(ctx.stdout, '\x1b[?25h').catch(() => undefined);
    }
  }
}

export const top: Builtin = {
  name: 'top',
  summary: 'processes by CPU use, refreshing (q quits; -b -n 1 for one frame)',
  usage: USAGE,
  rawInput: true,
  run: runTop,
};
