// Reader of the process table under an injected /proc root. Files are read in parallel
// (a sliding window of async reads) and results come out in PID order, so `ps` can
// stream rows while later processes are still being read. A process that exits between
// readdir and the reads is skipped silently, as procps does.
import { stat as statCallback } from 'node:fs';
import { readdir } from 'node:fs/promises';
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

function ownerUid(path: string): Promise<number> {
  return new Promise((resolve, reject) => statCallback(path, (err, st) => (err ? reject(err) : resolve(st.uid))));
}

/** One process, or undefined when it is gone (or its stat is unreadable). */
export async function readProcess(procRoot: string, pid: number, options: ScanOptions = {}): Promise<ProcessInfo | undefined> {
  const dir = `${procRoot}/${pid}`;
  // Started together: the reads of one process run in parallel on the thread pool.
  const statText = readProcFile(`${dir}/stat`, { shortReadIsEof: true });
  const cmdline = options.cmdline ?? true ? readProcBytes(`${dir}/cmdline`, { limit: 128 * 1024, shortReadIsEof: true }).catch(() => EMPTY) : undefined;
  const uid = options.uid ?? true ? ownerUid(dir) : undefined;
  const statmText = options.statm ? readProcFile(`${dir}/statm`, { shortReadIsEof: true }).catch(() => undefined) : undefined;
  const statusText = options.status ? readProcFile(`${dir}/status`).catch(() => undefined) : undefined;
  // Keep rejections of the ones not awaited yet from being reported as unhandled.
  uid?.catch(() => undefined);
  try {
    const parsed = parseStat(await statText) as ProcessInfo;
    const status = statusText === undefined ? undefined : await statusText;
    const statm = statmText === undefined ? undefined : await statmText;
    if (status !== undefined) parsed.status = parseStatus(status);
    if (statm !== undefined) parsed.statm = parseStatm(statm);
    parsed.uid = uid ? await uid : (parsed.status?.uids[1] ?? -1);
    parsed.args = cmdline ? parseCmdline(await cmdline) : [];
    parsed.kernelThread = (parsed.flags & PF_KTHREAD) !== 0 || parsed.pid === 2 || parsed.ppid === 2;
    return parsed;
  } catch {
    // ENOENT/ESRCH: exited mid-scan. Anything else about one process (a half-written
    // fixture, a kernel oddity) must not stop the listing of all the others either.
    return undefined;
  }
}

const EMPTY = Buffer.alloc(0);

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
