// /proc/PID/stat and /proc/PID/statm (proc(5)). The command name sits in parentheses and
// may itself contain spaces and parentheses, so the fields after it are found from the
// LAST ')' in the line.

/** Kernel threads carry PF_KTHREAD in `flags` (include/linux/sched.h). */
export const PF_KTHREAD = 0x00200000;

export interface PidStat {
  pid: number;
  /** Up to 15 bytes, as the kernel keeps it (`TASK_COMM_LEN`). */
  comm: string;
  /** One letter: R S D Z T t X I W P. */
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
  /** Controlling terminal, encoded major/minor (see ttyName). 0 = none. */
  ttyNr: number;
  tpgid: number;
  flags: number;
  /** Clock ticks (USER_HZ) spent in user and kernel mode. */
  utime: number;
  stime: number;
  priority: number;
  nice: number;
  threads: number;
  /** Clock ticks after boot when the process started. */
  startTime: number;
  /** Virtual memory size in bytes. */
  vsize: number;
  /** Resident set size in pages. */
  rss: number;
  /** CPU last run on (field 39), -1 when absent. */
  processor: number;
}

export class ProcParseError extends Error {
  override name = 'ProcParseError';
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** Parses one /proc/PID/stat line. Throws ProcParseError on text that is not one. */
export function parseStat(text: string): PidStat {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) throw new ProcParseError('no "(comm)" field', 'stat');
  const pid = Number(text.slice(0, open));
  const rest = text.slice(close + 2).trim().split(' ');
  // rest[0] is field 3 (state); field N is rest[N - 3].
  const field = (n: number): number => {
    const value = Number(rest[n - 3]);
    return Number.isFinite(value) ? value : 0;
  };
  if (!Number.isInteger(pid) || rest.length < 22) throw new ProcParseError('too few fields', 'stat');
  return {
    pid,
    comm: text.slice(open + 2, close),
    state: rest[0] ?? '?',
    ppid: field(4),
    pgrp: field(5),
    session: field(6),
    ttyNr: field(7),
    tpgid: field(8),
    flags: field(9),
    utime: field(14),
    stime: field(15),
    priority: field(18),
    nice: field(19),
    threads: field(20),
    startTime: field(22),
    vsize: field(23),
    rss: field(24),
    processor: rest.length >= 37 ? field(39) : -1,
  };
}

export interface PidStatm {
  /** All in pages: total program size, resident, resident shared (file-backed + shmem). */
  size: number;
  resident: number;
  shared: number;
}

export function parseStatm(text: string): PidStatm {
  const [size, resident, shared] = text.trim().split(/\s+/).map(Number);
  if (size === undefined || resident === undefined || shared === undefined || [size, resident, shared].some(Number.isNaN)) {
    throw new ProcParseError('expected "size resident shared …"', 'statm');
  }
  return { size, resident, shared };
}

/** The argument vector from /proc/PID/cmdline (NUL-separated; empty for kernel threads). */
export function parseCmdline(bytes: Buffer | string): string[] {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('utf8');
  if (text === '') return [];
  const parts = text.split('\0');
  // A trailing NUL ends the last argument; a process that rewrote its argv (setproctitle,
  // Node's process.title) may use spaces instead and pad the old length with NULs.
  while (parts.length > 1 && parts.at(-1) === '') parts.pop();
  return parts;
}
