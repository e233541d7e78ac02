// /proc/uptime, /proc/loadavg and the `cpu` lines of /proc/stat (proc(5)).

export interface Uptime {
  /** Seconds since boot. */
  seconds: number;
  /** Summed idle seconds of all CPUs. */
  idleSeconds: number;
}

export function parseUptime(text: string): Uptime {
  const [up, idle] = text.trim().split(/\s+/).map(Number);
  if (up === undefined || Number.isNaN(up)) throw new Error(`uptime: not "SECONDS IDLE": ${JSON.stringify(text.slice(0, 40))}`);
  return { seconds: up, idleSeconds: idle ?? 0 };
}

export interface Loadavg {
  one: number;
  five: number;
  fifteen: number;
  running: number;
  total: number;
  lastPid: number;
}

export function parseLoadavg(text: string): Loadavg {
  const m = /^(\d+\.\d+) (\d+\.\d+) (\d+\.\d+) (\d+)\/(\d+) (\d+)/.exec(text.trim());
  if (!m) throw new Error(`loadavg: unexpected format: ${JSON.stringify(text.slice(0, 40))}`);
  return {
    one: Number(m[1]),
    five: Number(m[2]),
    fifteen: Number(m[3]),
    running: Number(m[4]),
    total: Number(m[5]),
    lastPid: Number(m[6]),
  };
}

/** Clock ticks per CPU state, as on a `cpu` line of /proc/stat. */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

export interface SystemStat {
  /** The aggregate `cpu` line. */
  cpu: CpuTimes;
  /** `cpu0`, `cpu1`, … */
  cpus: CpuTimes[];
  /** Boot time, seconds since the epoch. */
  btime: number;
  processesRunning?: number;
  processesBlocked?: number;
}

const CPU_FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;

function cpuTimes(values: number[]): CpuTimes {
  const times = {} as CpuTimes;
  CPU_FIELDS.forEach((name, i) => (times[name] = values[i] ?? 0));
  return times;
}

export function parseSystemStat(text: string): SystemStat {
  let cpu: CpuTimes | undefined;
  const cpus: CpuTimes[] = [];
  let btime = NaN;
  const stat: Partial<SystemStat> = {};
  for (const line of text.split('\n')) {
    // Only the few lines used are split (the `intr` line holds thousands of numbers).
    if (!line.startsWith('cpu') && !line.startsWith('btime') && !line.startsWith('procs_')) continue;
    const [key, ...values] = line.split(/\s+/);
    if (key === 'cpu') cpu = cpuTimes(values.map(Number));
    else if (key && /^cpu\d+$/.test(key)) cpus.push(cpuTimes(values.map(Number)));
    else if (key === 'btime') btime = Number(values[0]);
    else if (key === 'procs_running') stat.processesRunning = Number(values[0]);
    else if (key === 'procs_blocked') stat.processesBlocked = Number(values[0]);
  }
  if (!cpu || Number.isNaN(btime)) throw new Error('stat: missing the "cpu" or "btime" line');
  return { ...stat, cpu, cpus, btime };
}

/** Percentages of each state between two samples (top's %Cpu(s) line). */
export function cpuPercentages(before: CpuTimes, after: CpuTimes): CpuTimes {
  const delta = cpuTimes(CPU_FIELDS.map((k) => Math.max(0, after[k] - before[k])));
  const total = CPU_FIELDS.reduce((sum, k) => sum + delta[k], 0);
  return cpuTimes(CPU_FIELDS.map((k) => (total > 0 ? (delta[k] * 100) / total : k === 'idle' ? 100 : 0)));
}

export function totalTicks(times: CpuTimes): number {
  return CPU_FIELDS.reduce((sum, k) => sum + times[k], 0);
}
