// /proc/meminfo (proc(5)): `Key:   value kB` lines, and the figures free(1) derives.

/** Key → kB (or a plain count for the HugePages_* lines). */
export type Meminfo = Map<string, number>;

export function parseMeminfo(text: string): Meminfo {
  const info: Meminfo = new Map();
  for (const line of text.split('\n')) {
    const m = /^([^:\s]+):\s+(\d+)/.exec(line);
    if (m) info.set(m[1]!, Number(m[2]));
  }
  if (!info.has('MemTotal')) throw new Error('meminfo: no MemTotal line');
  return info;
}

/** The numbers `free` prints, in kB, computed as procps-ng 4 does. */
export interface MemorySummary {
  total: number;
  used: number;
  free: number;
  shared: number;
  buffers: number;
  cache: number;
  buffCache: number;
  available: number;
  swapTotal: number;
  swapUsed: number;
  swapFree: number;
}

export function summarizeMemory(info: Meminfo): MemorySummary {
  const get = (key: string): number => info.get(key) ?? 0;
  const total = get('MemTotal');
  const free = get('MemFree');
  const buffers = get('Buffers');
  // procps: cached = Cached + SReclaimable (kernel's reclaimable slab counts as cache).
  const cache = get('Cached') + get('SReclaimable');
  // MemAvailable exists since Linux 3.14; older kernels: fall back to free.
  const available = Math.min(info.get('MemAvailable') ?? free, total);
  const used = total - available;
  const swapTotal = get('SwapTotal');
  const swapFree = get('SwapFree');
  return {
    total,
    used: used < 0 ? total - free : used,
    free,
    shared: get('Shmem'),
    buffers,
    cache,
    buffCache: buffers + cache,
    available,
    swapTotal,
    swapUsed: swapTotal - swapFree,
    swapFree,
  };
}
