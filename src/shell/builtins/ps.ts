// ps: the process table from /proc (ps(1) procps-ng; busybox ps). Rows stream in PID
// order while later processes are still being read; --tree and --sort need the whole
// table first. Processes that exit mid-scan are skipped silently.
import {
  CLOCK_TICKS,
  PsFormatError,
  buildForest,
  columnsByKey,
  commandLine,
  cpuPercent,
  cpuSeconds,
  elapsedSeconds,
  formatBsdTime,
  formatRow,
  headerRow,
  memPercent,
  parseFormat,
  readAllProcesses,
  readMeminfo,
  readPageSize,
  readSysValue,
  readSystemStat,
  readUptime,
  readUserNames,
  rssKb,
  scanProcesses,
  startMs,
  ttyName,
  userName,
} from '../../proc/index.js';
import type { ProcessInfo, PsColumn, PsEnv, ScanOptions } from '../../proc/index.js';
import type { Builtin, BuiltinContext } from '../types.js';
import { fail } from './io.js';
import { JsonArrayWriter, LineWriter, clip, parseOrExit, usageError } from './system-util.js';

const USAGE = `Usage: ps [OPTIONS] [aux] [PID…]
Report a snapshot of the processes, read from /proc.

With no options, every process in the busybox layout: PID USER TIME COMMAND.
  -e, -A            every process (procps layout: PID TTY TIME CMD)
  -f                full format: UID PID PPID C STIME TTY TIME CMD (-ef: everything)
  aux               BSD user format: USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND
  ax                BSD format: PID TTY STAT TIME COMMAND
  -o LIST           choose columns, e.g. -o pid,ppid,user,rss,vsz,stat,etime,time,comm,args
                    (KEY=HEADER renames a column; an empty header hides the header line)
  -p LIST           only these PIDs (comma separated; bare numbers work too)
  -u LIST           only these users (names or uids)
  -C LIST           only these command names
  --tree, --forest, -H, f (BSD)
                    show parent/child relations with ASCII art
  --sort [+|-]KEY[,…]
                    sort by columns (pid, ppid, user, uid, rss, vsz, %cpu, %mem, time,
                    etime, start, comm, ni); '-' sorts descending
  --no-headers      omit the header line
  -w, ww            wide output: do not cut lines at the terminal width
  --json            a JSON array of {pid, ppid, user, uid, state, tty, nice, threads,
                    rss_kb, vsz_kb, cpu_time, cpu_percent, mem_percent, start_time,
                    elapsed_seconds, comm, args, command, kernel_thread}
Kernel threads show as [name], zombies as [name] <defunct>.
`;

interface PsOptions {
  all: boolean;
  full: boolean;
  bsd: boolean;
  bsdUser: boolean;
  forest: boolean;
  wide: boolean;
  json: boolean;
  noHeaders: boolean;
  format: string[];
  pids: number[];
  users: string[];
  commands: string[];
  sort: string[];
  anyOption: boolean;
}

class PsUsage extends Error {}

const BSD_LETTERS = /^[auxfwe]+$/;

function splitList(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
}

function parsePidList(values: readonly string[]): number[] {
  return splitList(values).map((v) => {
    if (!/^\d+$/.test(v)) throw new PsUsage(`process ID list syntax error: ${JSON.stringify(v)} is not a PID`);
    return Number(v);
  });
}

async function parsePsArgs(args: readonly string[], ctx: BuiltinContext): Promise<PsOptions | number> {
  // `ps -aux` is a common slip for `ps aux`; procps takes it as BSD too.
  const normalized = args.map((a) => (/^-[aux]+$/.test(a) && a.includes('u') && a.includes('x') ? a.slice(1) : a));
  const parsed = await parseOrExit(
    'ps',
    USAGE,
    normalized,
    {
      flags: 'eAfwH',
      values: 'opuC',
      long: { json: false, tree: false, forest: false, sort: true, 'no-headers': false, 'no-heading': false },
    },
    ctx,
  );
  if (typeof parsed === 'number') return parsed;
  const options: PsOptions = {
    all: parsed.has('e') || parsed.has('A'),
    full: parsed.has('f'),
    bsd: false,
    bsdUser: false,
    forest: parsed.has('tree') || parsed.has('forest') || parsed.has('H'),
    wide: parsed.has('w'),
    json: parsed.has('json'),
    noHeaders: parsed.has('no-headers') || parsed.has('no-heading'),
    format: parsed.all('o'),
    pids: parsePidList(parsed.all('p')),
    users: splitList(parsed.all('u')),
    commands: splitList(parsed.all('C')),
    sort: splitList(parsed.all('sort')),
    anyOption: normalized.length > 0,
  };
  for (const operand of parsed.operands) {
    if (/^[\d,]+$/.test(operand)) options.pids.push(...parsePidList([operand]));
    else if (BSD_LETTERS.test(operand)) {
      options.bsd = true;
      if (operand.includes('u')) options.bsdUser = true;
      if (operand.includes('f')) options.forest = true;
      if (operand.includes('w')) options.wide = true;
      if (operand.includes('a') || operand.includes('x')) options.all = true;
    } else {
      throw new PsUsage(`unsupported option or operand ${JSON.stringify(operand)} (BSD letters: a u x f w)`);
    }
  }
  return options;
}

/** The columns of each layout; `null` means the busybox default. */
function chooseColumns(o: PsOptions, pidWidth: number): PsColumn[] | null {
  let columns: PsColumn[];
  if (o.format.length > 0) columns = parseFormat(o.format);
  else if (o.bsd && o.bsdUser) columns = columnsByKey(['user', 'pid', '%cpu', '%mem', 'vsz', 'rss', 'tty', 'stat', 'start', 'bsdtime', 'args']);
  else if (o.bsd) columns = columnsByKey(['pid', 'tty', 'stat', 'bsdtime', 'args']);
  else if (o.full) {
    columns = columnsByKey(['user', 'pid', 'ppid', 'c', 'stime', 'tty', 'time', 'cmd']);
    columns[0] = { ...columns[0]!, header: 'UID' };
  } else if (o.all || o.pids.length > 0 || o.users.length > 0 || o.commands.length > 0) {
    columns = columnsByKey(['pid', 'tty', 'time', 'comm']);
    columns[3] = { ...columns[3]!, header: 'CMD' };
  } else return null;
  return columns.map((c) => {
    let adjusted = c;
    if (c.key === 'tty' && c.header === 'TT' && o.format.length === 0) adjusted = { ...adjusted, header: 'TTY' };
    if (['pid', 'ppid', 'pgid', 'sid', 'tpgid'].includes(c.key)) adjusted = { ...adjusted, width: Math.max(c.width, pidWidth) };
    return adjusted;
  });
}

/** busybox ps: `  PID USER       TIME  COMMAND`. */
const BUSYBOX_HEADER = '  PID USER       TIME  COMMAND';
function busyboxRow(p: ProcessInfo, env: PsEnv, prefix: string): string {
  const user = p.uid < 0 ? '?' : userName(env.users, p.uid);
  return `${String(p.pid).padStart(5)} ${user.slice(0, 8).padEnd(8)} ${formatBsdTime(cpuSeconds(p)).padStart(6)}  ${prefix}${commandLine(p)}`;
}

function jsonRecord(p: ProcessInfo, env: PsEnv): Record<string, unknown> {
  return {
    pid: p.pid,
    ppid: p.ppid,
    user: p.uid < 0 ? null : userName(env.users, p.uid),
    uid: p.uid,
    state: p.state,
    tty: ttyName(p.ttyNr),
    nice: p.nice,
    threads: p.threads,
    rss_kb: Math.round(rssKb(p, env)),
    vsz_kb: Math.round(p.vsize / 1024),
    cpu_time: (p.utime + p.stime) / CLOCK_TICKS,
    cpu_percent: Math.round(cpuPercent(p, env) * 10) / 10,
    mem_percent: Math.round(memPercent(p, env) * 10) / 10,
    start_time: new Date(startMs(p, env)).toISOString(),
    elapsed_seconds: Math.floor(elapsedSeconds(p, env)),
    comm: p.comm,
    args: p.args,
    command: commandLine(p),
    kernel_thread: p.kernelThread,
  };
}

type SortValue = number | string;
const SORT_KEYS: Record<string, (p: ProcessInfo, env: PsEnv) => SortValue> = {
  pid: (p) => p.pid,
  ppid: (p) => p.ppid,
  uid: (p) => p.uid,
  user: (p, e) => userName(e.users, p.uid),
  rss: (p) => p.rss,
  vsz: (p) => p.vsize,
  '%cpu': (p, e) => cpuPercent(p, e),
  pcpu: (p, e) => cpuPercent(p, e),
  '%mem': (p) => p.rss,
  pmem: (p) => p.rss,
  time: (p) => p.utime + p.stime,
  etime: (p) => -p.startTime,
  start: (p) => p.startTime,
  comm: (p) => p.comm,
  ni: (p) => p.nice,
  nice: (p) => p.nice,
};

function sorter(keys: readonly string[], env: PsEnv): (a: ProcessInfo, b: ProcessInfo) => number {
  const parts = keys.map((spec) => {
    const descending = spec.startsWith('-');
    const name = spec.replace(/^[+-]/, '').toLowerCase();
    const get = SORT_KEYS[name];
    if (!get) throw new PsUsage(`unknown sort key ${JSON.stringify(name)} (valid: ${Object.keys(SORT_KEYS).join(' ')})`);
    return { get, sign: descending ? -1 : 1 };
  });
  return (a, b) => {
    for (const { get, sign } of parts) {
      const x = get(a, env);
      const y = get(b, env);
      if (x < y) return -sign;
      if (x > y) return sign;
    }
    return a.pid - b.pid;
  };
}

async function makeEnv(procRoot: string): Promise<PsEnv> {
  const [stat, uptime, meminfo, pageSize, users, pidMax] = await Promise.all([
    readSystemStat(procRoot),
    readUptime(procRoot),
    readMeminfo(procRoot).catch(() => undefined),
    readPageSize(procRoot),
    readUserNames(),
    readSysValue(procRoot, 'kernel/pid_max'),
  ]);
  return {
    nowMs: Date.now(),
    btime: stat.btime,
    uptime: uptime.seconds,
    pageSize,
    memTotalKb: meminfo?.get('MemTotal') ?? 0,
    users,
    pidWidth: Math.max(5, (pidMax ?? '').trim().length),
  };
}

function userFilter(names: readonly string[], env: PsEnv): Set<number> {
  const byName = new Map([...env.users].map(([uid, name]) => [name, uid]));
  byName.set('root', 0);
  return new Set(
    names.map((n) => {
      if (/^\d+$/.test(n)) return Number(n);
      const uid = byName.get(n);
      if (uid === undefined) throw new PsUsage(`user name does not exist: ${n}`);
      return uid;
    }),
  );
}

/** Everything runPs decides before reading a process: options, system values, layout. */
interface PsPlan {
  o: PsOptions;
  env: PsEnv;
  /** `null` is the busybox layout; `[]` with --json. */
  columns: PsColumn[] | null;
  uidSet: Set<number> | undefined;
}

/** Parses the arguments and reads the system values; a number is the exit code to return. */
async function planPs(args: string[], ctx: BuiltinContext): Promise<PsPlan | number> {
  try {
    const o = await parsePsArgs(args, ctx);
    if (typeof o === 'number') return o;
    const env = await makeEnv(ctx.services.procRoot);
    const columns = o.json ? [] : chooseColumns(o, env.pidWidth);
    const uidSet = o.users.length > 0 ? userFilter(o.users, env) : undefined;
    // Checked here so a bad key is a usage error before any output.
    if (o.sort.length > 0) sorter(o.sort, env);
    return { o, env, columns, uidSet };
  } catch (err) {
    if (err instanceof PsUsage || err instanceof PsFormatError) return usageError('ps', err.message, ctx);
    return fail(ctx.stderr, 'ps', `cannot read ${ctx.services.procRoot} (is /proc mounted?): ${(err as Error).message}`);
  }
}

/** The -p, -u and -C selection: a process passes if it matches any of them (procps). */
class PsSelection {
  readonly pidSet: Set<number> | undefined;
  readonly commSet: Set<string> | undefined;
  readonly filtered: boolean;

  constructor(
    o: PsOptions,
    readonly uidSet: Set<number> | undefined,
  ) {
    this.pidSet = o.pids.length > 0 ? new Set(o.pids) : undefined;
    this.commSet = o.commands.length > 0 ? new Set(o.commands) : undefined;
    this.filtered = this.pidSet !== undefined || uidSet !== undefined || this.commSet !== undefined;
  }

  has(p: ProcessInfo): boolean {
    return (
      !this.filtered || (this.pidSet?.has(p.pid) ?? false) || (this.uidSet?.has(p.uid) ?? false) || (this.commSet?.has(p.comm) ?? false)
    );
  }

  /** With only -p, the scan reads just those PIDs. */
  onlyPids(): { pids: number[] } | Record<string, never> {
    return this.pidSet && !this.uidSet && !this.commSet ? { pids: [...this.pidSet] } : {};
  }
}

/** Writes the header and one row (or JSON item) per process in the plan's layout. */
class PsPrinter {
  private readonly out: LineWriter;
  private readonly json: JsonArrayWriter | undefined;
  private readonly treeColumn: number;

  constructor(
    private readonly plan: PsPlan,
    private readonly ctx: BuiltinContext,
  ) {
    this.out = new LineWriter(ctx.stdout);
    this.json = plan.o.json ? new JsonArrayWriter(this.out) : undefined;
    this.treeColumn = plan.columns?.findIndex((c) => c.key === 'args' || c.key === 'cmd' || c.key === 'comm') ?? -1;
  }

  private cut(line: string): string {
    const { o } = this.plan;
    return this.ctx.isTTY && !o.wide && !o.json ? clip(line, this.ctx.terminal.cols) : line;
  }

  async header(): Promise<void> {
    const { columns } = this.plan;
    if (this.json || this.plan.o.noHeaders) return;
    const header = columns === null ? BUSYBOX_HEADER : headerRow(columns);
    // `-o pid=` everywhere: no header line at all (procps).
    if (columns === null || columns.some((c) => c.header !== '')) await this.out.line(this.cut(header));
  }

  async row(p: ProcessInfo, prefix = ''): Promise<void> {
    const { columns, env } = this.plan;
    if (this.json) return this.json.item(jsonRecord(p, env));
    if (columns === null) return this.out.line(this.cut(busyboxRow(p, env, prefix)));
    const cells = columns.map((c) => c.value(p, env));
    if (prefix && this.treeColumn >= 0) cells[this.treeColumn] = prefix + cells[this.treeColumn]!;
    return this.out.line(this.cut(formatRow(cells, columns)));
  }

  async end(): Promise<void> {
    if (this.json) await this.json.end();
    await this.out.flush();
  }
}

/** --tree and --sort: read the whole table, then print it; returns the rows printed. */
async function printWholeTable(plan: PsPlan, selection: PsSelection, printer: PsPrinter, scan: ScanOptions, ctx: BuiltinContext): Promise<number> {
  const { o, env } = plan;
  let list = (await readAllProcesses(ctx.services.procRoot, scan)).filter((p) => selection.has(p));
  if (o.sort.length > 0) list = list.sort(sorter(o.sort, env));
  const nodes = o.forest ? buildForest(list) : list.map((p) => ({ process: p, prefix: '' }));
  let count = 0;
  for (const node of nodes) {
    if (ctx.signal.aborted) break;
    await printer.row(node.process, node.prefix);
    count++;
  }
  return count;
}

/** The default: rows stream in PID order as they are read; returns the rows printed. */
async function printStreaming(selection: PsSelection, printer: PsPrinter, scan: ScanOptions, ctx: BuiltinContext): Promise<number> {
  let count = 0;
  for await (const p of scanProcesses(ctx.services.procRoot, scan)) {
    if (!selection.has(p)) continue;
    await printer.row(p);
    count++;
  }
  return count;
}

async function runPs(args: string[], ctx: BuiltinContext): Promise<number> {
  const plan = await planPs(args, ctx);
  if (typeof plan === 'number') return plan;
  const { o, columns } = plan;
  const selection = new PsSelection(o, plan.uidSet);
  const scan: ScanOptions = {
    cmdline: o.json || columns === null || columns.some((c) => c.needsArgs) || o.forest,
    uid: o.json || columns === null || columns.some((c) => c.needsUid) || plan.uidSet !== undefined,
    ...selection.onlyPids(),
    signal: ctx.signal,
  };
  const printer = new PsPrinter(plan, ctx);
  await printer.header();
  const count =
    o.forest || o.sort.length > 0 ? await printWholeTable(plan, selection, printer, scan, ctx) : await printStreaming(selection, printer, scan, ctx);
  await printer.end();
  if (ctx.signal.aborted) return 130;
  // procps exits 1 when a selection matched nothing.
  return selection.filtered && count === 0 ? 1 : 0;
}

export const ps: Builtin = {
  name: 'ps',
  summary: 'list processes (busybox layout; -ef, aux, -o, --tree, --json)',
  usage: USAGE,
  run: runPs,
};
