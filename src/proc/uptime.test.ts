import { describe, expect, it } from 'vitest';
import { cpuPercentages, parseLoadavg, parseSystemStat, parseUptime } from './uptime.js';

describe('uptime, loadavg, stat', () => {
  it('parses /proc/uptime and /proc/loadavg', () => {
    expect(parseUptime('502.11 850.16\n')).toEqual({ seconds: 502.11, idleSeconds: 850.16 });
    expect(parseLoadavg('0.51 0.29 0.13 1/102 8852\n')).toEqual({ one: 0.51, five: 0.29, fifteen: 0.13, running: 1, total: 102, lastPid: 8852 });
    expect(() => parseUptime('x')).toThrow(/uptime/);
    expect(() => parseLoadavg('0.5 nope')).toThrow(/loadavg/);
  });
  it('parses /proc/stat cpu lines and btime', () => {
    const s = parseSystemStat('cpu  10515 0 3763 85016 461 0 149 158 0 0\ncpu0 3994 0 1640 44215 67 0 58 75 0 0\ncpu1 6520 0 2123 40801 394 0 91 82 0 0\nintr 1 2\nbtime 1795769694\nprocs_running 2\nprocs_blocked 0\n');
    expect(s.cpu).toEqual({ user: 10515, nice: 0, system: 3763, idle: 85016, iowait: 461, irq: 0, softirq: 149, steal: 158 });
    expect(s.cpus).toHaveLength(2);
    expect([s.btime, s.processesRunning, s.processesBlocked]).toEqual([1795769694, 2, 0]);
    expect(() => parseSystemStat('intr 1\n')).toThrow(/cpu/);
  });
  it('turns two samples into percentages', () => {
    const a = { user: 100, nice: 0, system: 50, idle: 850, iowait: 0, irq: 0, softirq: 0, steal: 0 };
    const b = { user: 130, nice: 0, system: 60, idle: 910, iowait: 0, irq: 0, softirq: 0, steal: 0 };
    const p = cpuPercentages(a, b);
    expect([p.user, p.system, p.idle]).toEqual([30, 10, 60]);
    expect(cpuPercentages(a, a).idle).toBe(100);
  });
});
