// Readers of system-wide files under injected roots (default /proc, /etc).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseMeminfo } from './meminfo.js';
import type { Meminfo } from './meminfo.js';
import { parseMountinfo } from './mountinfo.js';
import type { MountEntry } from './mountinfo.js';
import { parsePasswd } from './passwd.js';
import type { UserNames } from './passwd.js';
import { readProcBytes, readProcFile } from './read.js';
import { parseLoadavg, parseSystemStat, parseUptime } from './uptime.js';
import type { Loadavg, SystemStat, Uptime } from './uptime.js';

export async function readMeminfo(procRoot = '/proc'): Promise<Meminfo> {
  return parseMeminfo(await readProcFile(join(procRoot, 'meminfo')));
}

export async function readUptime(procRoot = '/proc'): Promise<Uptime> {
  return parseUptime(await readProcFile(join(procRoot, 'uptime')));
}

export async function readLoadavg(procRoot = '/proc'): Promise<Loadavg> {
  return parseLoadavg(await readProcFile(join(procRoot, 'loadavg')));
}

export async function readSystemStat(procRoot = '/proc'): Promise<SystemStat> {
  return parseSystemStat(await readProcFile(join(procRoot, 'stat')));
}

/** Mount table as seen by `pid` (default: this process, `self`). */
export async function readMountinfo(procRoot = '/proc', pid: number | 'self' = 'self'): Promise<MountEntry[]> {
  return parseMountinfo(await readProcFile(join(procRoot, String(pid), 'mountinfo')));
}

/** A /proc/sys value without its trailing newline, or undefined when unreadable. */
export async function readSysValue(procRoot: string, path: string): Promise<string | undefined> {
  try {
    return (await readProcFile(join(procRoot, 'sys', path))).replace(/\n$/, '');
  } catch {
    return undefined;
  }
}

/**
 * The kernel's page size, from the first mapping in /proc/self/smaps (`KernelPageSize:`);
 * 4096 when unreadable. arm64 appliances may run 16K or 64K pages, so RSS in pages is
 * never multiplied by a guess when the kernel can tell.
 */
export async function readPageSize(procRoot = '/proc'): Promise<number> {
  try {
    const head = (await readProcBytes(join(procRoot, 'self', 'smaps'), { limit: 4096, shortReadIsEof: true })).toString();
    const m = /KernelPageSize:\s+(\d+) kB/.exec(head);
    if (m) return Number(m[1]) * 1024;
  } catch {
    // fall through
  }
  return 4096;
}

/** uid → name from /etc/passwd; empty when there is none (typical on an appliance). */
export async function readUserNames(etcDir = '/etc'): Promise<UserNames> {
  try {
    return parsePasswd(await readFile(join(etcDir, 'passwd'), 'utf8'));
  } catch {
    return new Map();
  }
}
