// /proc/PID/status (proc(5)): `Key:\tvalue` lines. Values stay strings in `fields`; the
// ones ps/top need are typed.

export interface PidStatus {
  fields: Map<string, string>;
  name: string;
  state: string;
  pid: number;
  ppid: number;
  /** Real, effective, saved, filesystem. */
  uids: number[];
  gids: number[];
  threads: number;
  /** kB; undefined for kernel threads (no mm). */
  vmRssKb?: number;
  vmSizeKb?: number;
  vmLckKb?: number;
}

/** `"  1632 kB"` → 1632. */
function kb(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number.parseInt(value, 10);
  return Number.isNaN(n) ? undefined : n;
}

export function parseStatus(text: string): PidStatus {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  const ids = (key: string): number[] => (fields.get(key) ?? '').split(/\s+/).filter(Boolean).map(Number);
  return {
    fields,
    // Name escapes \n and \\ (fs/proc/array.c); the rest is raw.
    name: (fields.get('Name') ?? '').replace(/\\n/g, '\n').replace(/\\\\/g, '\\'),
    state: (fields.get('State') ?? '?').charAt(0),
    pid: Number(fields.get('Pid') ?? NaN),
    ppid: Number(fields.get('PPid') ?? NaN),
    uids: ids('Uid'),
    gids: ids('Gid'),
    threads: Number(fields.get('Threads') ?? 1),
    vmRssKb: kb(fields.get('VmRSS')),
    vmSizeKb: kb(fields.get('VmSize')),
    vmLckKb: kb(fields.get('VmLck')),
  };
}
