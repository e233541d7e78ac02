// ps columns (procps-ng `-o` keywords, ps(1) "STANDARD FORMAT SPECIFIERS"): header,
// width, alignment and how each is computed from a ProcessInfo. Pure: the clock, boot
// time and memory size come in a PsEnv.
import { DAY_NAMES, MONTH_NAMES, formatBsdTime, formatCpuTime, formatElapsed, formatStart } from './format.js';
import { userName } from './passwd.js';
import type { UserNames } from './passwd.js';
import { CLOCK_TICKS } from './processes.js';
import type { ProcessInfo } from './processes.js';
import { ttyName } from './tty.js';

export interface PsEnv {
  /** Wall clock, ms since the epoch. */
  nowMs: number;
  /** Boot time, seconds since the epoch (/proc/stat btime). */
  btime: number;
  /** Seconds since boot (/proc/uptime). */
  uptime: number;
  pageSize: number;
  memTotalKb: number;
  users: UserNames;
  /** Width of PID columns (digits of /proc/sys/kernel/pid_max, at least 5). */
  pidWidth: number;
}

export interface PsColumn {
  /** Canonical keyword. */
  key: string;
  header: string;
  width: number;
  left: boolean;
  /** Needs the owner uid / cmdline read. */
  needsUid?: boolean;
  needsArgs?: boolean;
  value(p: ProcessInfo, env: PsEnv): string;
}

/** `[comm]` for kernel threads and processes without argv; `<defunct>` for zombies. */
export function commandLine(p: ProcessInfo): string {
  if (p.state === 'Z') return `[${p.comm}] <defunct>`;
  if (p.args.length === 0) return `[${p.comm}]`;
  // Non-printable bytes would garble the terminal; procps shows them as '?'.
  return p.args.join(' ').replace(/[\x00-\x1f\x7f]/g, '?');
}

export function cpuSeconds(p: ProcessInfo): number {
  return (p.utime + p.stime) / CLOCK_TICKS;
}

export function elapsedSeconds(p: ProcessInfo, env: PsEnv): number {
  return Math.max(0, env.uptime - p.startTime / CLOCK_TICKS);
}

export function startMs(p: ProcessInfo, env: PsEnv): number {
  return (env.btime + p.startTime / CLOCK_TICKS) * 1000;
}

export function rssKb(p: ProcessInfo, env: PsEnv): number {
  return (p.rss * env.pageSize) / 1024;
}

/** procps `lstart`: `Fri Nov 27 08:54:54 2026` (local time). */
export function formatLongStart(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${DAY_NAMES[d.getDay()]} ${MONTH_NAMES[d.getMonth()]} ${String(d.getDate()).padStart(2)} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${d.getFullYear()}`;
}

/** procps per-mille → "x.y" (capped at 99.9 for %MEM, 999 for %CPU as procps does). */
function perMille(value: number, cap: number): string {
  const pm = Math.min(cap * 10, Math.floor(value * 10));
  return pm >= 1000 ? String(Math.floor(pm / 10)) : `${Math.floor(pm / 10)}.${pm % 10}`;
}

export function cpuPercent(p: ProcessInfo, env: PsEnv): number {
  const elapsed = elapsedSeconds(p, env);
  return elapsed > 0 ? (cpuSeconds(p) * 100) / elapsed : 0;
}

export function memPercent(p: ProcessInfo, env: PsEnv): number {
  return env.memTotalKb > 0 ? (rssKb(p, env) * 100) / env.memTotalKb : 0;
}

/** procps truncates long user names to 7 characters and a '+'. */
function userColumn(p: ProcessInfo, env: PsEnv): string {
  const name = p.uid < 0 ? '?' : userName(env.users, p.uid);
  return name.length > 8 ? `${name.slice(0, 7)}+` : name;
}

/** BSD STAT: state letter plus < N s l + (ps(1) "PROCESS STATE CODES"). */
export function bsdStat(p: ProcessInfo): string {
  let s = p.state;
  if (p.nice < 0) s += '<';
  else if (p.nice > 0) s += 'N';
  if ((p.status?.vmLckKb ?? 0) > 0) s += 'L';
  if (p.pid === p.session) s += 's';
  if (p.threads > 1) s += 'l';
  if (p.ttyNr !== 0 && p.tpgid === p.pgrp) s += '+';
  return s;
}

const col = (
  key: string,
  header: string,
  width: number,
  left: boolean,
  value: PsColumn['value'],
  needs: { uid?: boolean; args?: boolean } = {},
): PsColumn => ({ key, header, width, left, value, needsUid: needs.uid ?? false, needsArgs: needs.args ?? false });

const COLUMNS: PsColumn[] = [
  col('pid', 'PID', 5, false, (p) => String(p.pid)),
  col('ppid', 'PPID', 5, false, (p) => String(p.ppid)),
  col('pgid', 'PGID', 5, false, (p) => String(p.pgrp)),
  col('sid', 'SID', 5, false, (p) => String(p.session)),
  col('tpgid', 'TPGID', 5, false, (p) => String(p.tpgid)),
  col('user', 'USER', 8, true, userColumn, { uid: true }),
  col('uid', 'UID', 5, false, (p) => String(p.uid), { uid: true }),
  col('tty', 'TT', 8, true, (p) => ttyName(p.ttyNr)),
  col('stat', 'STAT', 4, true, bsdStat),
  col('s', 'S', 1, true, (p) => p.state),
  col('ni', 'NI', 3, false, (p) => String(p.nice)),
  col('pri', 'PRI', 3, false, (p) => String(p.priority)),
  col('nlwp', 'NLWP', 4, false, (p) => String(p.threads)),
  col('psr', 'PSR', 3, false, (p) => String(p.processor)),
  col('rss', 'RSS', 5, false, (p, e) => String(Math.round(rssKb(p, e)))),
  col('vsz', 'VSZ', 6, false, (p) => String(Math.round(p.vsize / 1024))),
  col('%cpu', '%CPU', 4, false, (p, e) => perMille(cpuPercent(p, e), 999)),
  col('%mem', '%MEM', 4, false, (p, e) => perMille(memPercent(p, e), 99.9)),
  col('c', 'C', 2, false, (p, e) => String(Math.min(99, Math.floor(cpuPercent(p, e))))),
  col('etime', 'ELAPSED', 11, false, (p, e) => formatElapsed(elapsedSeconds(p, e))),
  col('etimes', 'ELAPSED', 7, false, (p, e) => String(Math.floor(elapsedSeconds(p, e)))),
  col('time', 'TIME', 8, false, (p) => formatCpuTime(cpuSeconds(p))),
  col('bsdtime', 'TIME', 6, false, (p) => formatBsdTime(cpuSeconds(p))),
  col('times', 'TIME', 7, false, (p) => String(Math.floor(cpuSeconds(p)))),
  col('start', 'START', 5, false, (p, e) => formatStart(startMs(p, e), e.nowMs)),
  col('stime', 'STIME', 5, false, (p, e) => formatStart(startMs(p, e), e.nowMs)),
  col('lstart', 'STARTED', 24, false, (p, e) => formatLongStart(startMs(p, e))),
  col('comm', 'COMMAND', 15, true, (p) => (p.state === 'Z' ? `${p.comm} <defunct>` : p.comm)),
  col('args', 'COMMAND', 27, true, commandLine, { args: true }),
  col('cmd', 'CMD', 27, true, commandLine, { args: true }),
];

const ALIASES: Record<string, string> = {
  pgrp: 'pgid',
  sess: 'sid',
  session: 'sid',
  euser: 'user',
  uname: 'user',
  euid: 'uid',
  tt: 'tty',
  tname: 'tty',
  state: 's',
  nice: 'ni',
  thcount: 'nlwp',
  rssize: 'rss',
  rsz: 'rss',
  vsize: 'vsz',
  pcpu: '%cpu',
  pmem: '%mem',
  cputime: 'time',
  start_time: 'stime',
  ucmd: 'comm',
  ucomm: 'comm',
  command: 'args',
};

const BY_KEY = new Map(COLUMNS.map((c) => [c.key, c]));

export const PS_KEYWORDS: readonly string[] = [...COLUMNS.map((c) => c.key), ...Object.keys(ALIASES)].sort();

export class PsFormatError extends Error {
  override name = 'PsFormatError';
}

/**
 * Parses `-o` lists: `pid,ppid,comm`, `pid user` and `comm=NAME` (a custom header; an
 * `=` takes the rest of that argument, as in procps).
 */
export function parseFormat(specs: readonly string[]): PsColumn[] {
  const columns: PsColumn[] = [];
  for (const spec of specs) {
    let rest = spec;
    while (rest !== '') {
      const m = /^[\s,]*([^\s,=]+)(=)?/.exec(rest);
      if (!m) break;
      const keyword = m[1]!.toLowerCase();
      const base = BY_KEY.get(ALIASES[keyword] ?? keyword);
      if (!base) throw new PsFormatError(`unknown user-defined format specifier "${m[1]}" (valid: ${PS_KEYWORDS.join(' ')})`);
      if (m[2]) {
        const header = rest.slice(m[0].length);
        columns.push({ ...base, header, width: Math.max(base.width, header.length) });
        break;
      }
      columns.push(base);
      rest = rest.slice(m[0].length);
    }
  }
  if (columns.length === 0) throw new PsFormatError('empty format list');
  return columns;
}

export function columnsByKey(keys: readonly string[]): PsColumn[] {
  return keys.map((k) => {
    const c = BY_KEY.get(k);
    if (!c) throw new PsFormatError(`unknown column ${k}`);
    return c;
  });
}

/** One output row; the last column is not padded (procps style). */
export function formatRow(cells: readonly string[], columns: readonly PsColumn[]): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i]!;
    const text = cells[i]!;
    const last = i === columns.length - 1;
    // Command columns other than the last are cut to their width, as procps does.
    const cut = !last && (c.key === 'comm' || c.key === 'args' || c.key === 'cmd') ? text.slice(0, c.width) : text;
    line += (i > 0 ? ' ' : '') + (last && c.left ? cut : c.left ? cut.padEnd(c.width) : cut.padStart(c.width));
  }
  return line;
}

export function headerRow(columns: readonly PsColumn[]): string {
  return formatRow(
    columns.map((c) => c.header),
    columns,
  );
}

/** Forest prefix at `depth` (0 = root); `continues[d - 1]`: the ancestor at depth d has later siblings. */
export function forestPrefix(depth: number, continues: readonly boolean[]): string {
  if (depth === 0) return '';
  let prefix = ' ';
  for (let level = 1; level < depth; level++) prefix += continues[level - 1] ? '|   ' : '    ';
  return `${prefix}\\_ `;
}

export interface ForestNode {
  process: ProcessInfo;
  depth: number;
  prefix: string;
}

/** Orders processes as a forest (children after their parent, by PID) with ASCII-art prefixes. */
export function buildForest(processes: readonly ProcessInfo[]): ForestNode[] {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const children = new Map<number, ProcessInfo[]>();
  const roots: ProcessInfo[] = [];
  for (const p of processes) {
    if (p.ppid !== p.pid && byPid.has(p.ppid)) {
      const list = children.get(p.ppid) ?? [];
      list.push(p);
      children.set(p.ppid, list);
    } else {
      roots.push(p);
    }
  }
  const out: ForestNode[] = [];
  const sortByPid = (list: ProcessInfo[]): ProcessInfo[] => list.sort((a, b) => a.pid - b.pid);
  // Iterative depth-first walk: deep chains must not overflow the stack.
  const stack: Array<{ p: ProcessInfo; depth: number; continues: boolean[] }> = sortByPid(roots)
    .reverse()
    .map((p) => ({ p, depth: 0, continues: [] }));
  const seen = new Set<number>();
  for (;;) {
    if (stack.length === 0) {
      // Anything not reached hangs in a parent cycle (only a corrupt tree can): list it as a root.
      const orphan = processes.find((p) => !seen.has(p.pid));
      if (!orphan) break;
      stack.push({ p: orphan, depth: 0, continues: [] });
    }
    const { p, depth, continues } = stack.pop()!;
    if (seen.has(p.pid)) continue;
    seen.add(p.pid);
    out.push({ process: p, depth, prefix: forestPrefix(depth, continues) });
    const kids = sortByPid(children.get(p.pid) ?? []);
    for (let i = kids.length - 1; i >= 0; i--) {
      stack.push({ p: kids[i]!, depth: depth + 1, continues: [...continues, i < kids.length - 1] });
    }
  }
  return out;
}
