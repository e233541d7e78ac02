// Reader of the process table under an injected /proc root. Files are read in parallel
// (a sliding window of async reads) and results come out in PID order, so `ps` can
// stream rows while later processes are still being read. A process that exits between
// readdir and the reads is skipped silently, as procps does.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PF_KTHREAD, parseCmdline, parseStat, parseStatm } from './pid-stat.js';
import type { PidStat, PidStatm } from './pid-stat.js';
import { parseStatus } from './status.js';
import type { PidStatus } from './status.js';
import { readProcBytes, readProcFile } from './read.js';

/** USER_HZ: the unit of every tick count in /proc (fixed at 100 by the kernel ABI). */
export const CLOCK_TICKS = 100;

export interface ProcessInfo extends PidStat {
  /** Effective uid (owner of /proc/PID), -1 when not read. */
  uid: number;
  /** argv from cmdline; empty for kernel threads and zombies. */
  args: string[];
  kernelThread: boolean;
  statm?: PidStatm;
  status?: PidStatus;
}

export interface ScanOptions {
  /** Read /proc/PID/cmdline (default true). */
  cmdline?: boolean;
  /** stat(2) /proc/PID for the owner uid (default true). */
  uid?: boolean;
  statm?: boolean;
  status?: boolean;
  /** Only these PIDs (others are not read at all). */
  pids?: readonly number[];
  /** Reads in flight at once (default 64). */
  concurrency?: number;
  signal?: AbortSignal;
}

/** Numeric entries of the proc root, ascending. */
export async function listPids(procRoot: string): Promise<number[]> {
  const names = await readdir(procRoot);
  const pids: number[] = [];
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57 && /^\d+$/.test(name)) pids.push(Number(name));
  }
  return pids.sort((a, b) => a - b);
}

/** One process, or undefined when it is gone (or its stat is unreadable). */
export async function readProcess(procRoot: string, pid: number, options: ScanOptions = {}): Promise<ProcessInfo | undefined> {
  const dir = join(procRoot, String(pid));
  const wantCmdline = options.cmdline ?? true;
  const wantUid = options.uid ?? true;
  try {
    const [statText, cmdline, dirStat, statmText, statusText] = await Promise.all([
      readProcFile(`${dir}/stat`, { shortReadIsEof: true }),
      wantCmdline ? readProcBytes(`${dir}/cmdline`, { limit: 128 * 1024 }).catch(() => Buffer.alloc(0)) : undefined,
      wantUid ? stat(dir) : undefined,
      options.statm ? readProcFile(`${dir}/statm`, { shortReadIsEof: true }).catch(() => undefined) : undefined,
      options.status ? readProcFile(`${dir}/status`).catch(() => undefined) : undefined,
    ]);
    const parsed = parseStat(statText);
    const status = statusText === undefined ? undefined : parseStatus(statusText);
    return {
      ...parsed,
      uid: dirStat ? dirStat.uid : (status?.uids[1] ?? -1),
      args: cmdline ? parseCmdline(cmdline) : [],
      kernelThread: (parsed.flags & PF_KTHREAD) !== 0 || parsed.pid === 2 || parsed.ppid === 2,
      ...(statmText === undefined ? {} : { statm: parseStatm(statmText) }),
      ...(status === undefined ? {} : { status }),
    };
  } catch {
    // ENOENT/ESRCH: exited mid-scan. Anything else about one process (a half-written
    // fixture, a kernel oddity) must not stop the listing of all the others either.
    return undefined;
  }
}

/** Every process, in PID order, reading up to `concurrency` at once. */
export async function* scanProcesses(procRoot: string, options: ScanOptions = {}): AsyncGenerator<ProcessInfo> {
  const pids = options.pids ? [...options.pids].sort((a, b) => a - b) : await listPids(procRoot);
  const window = Math.max(1, options.concurrency ?? 64);
  const pending: Array<Promise<ProcessInfo | undefined>> = [];
  let next = 0;
  const fill = (): void => {
    while (next < pids.length && pending.length < window) pending.push(readProcess(procRoot, pids[next++]!, options));
  };
  fill();
  while (pending.length > 0) {
    if (options.signal?.aborted) return;
    const info = await pending.shift()!;
    fill();
    if (info) yield info;
  }
}

/** All processes as an array (for sorting and trees). */
export async function readAllProcesses(procRoot: string, options: ScanOptions = {}): Promise<ProcessInfo[]> {
  const list: ProcessInfo[] = [];
  for await (const info of scanProcesses(procRoot, options)) list.push(info);
  return list;
}
