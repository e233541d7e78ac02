import { describe, expect, it } from 'vitest';
import { formatBsdTime, formatCpuTime, formatElapsed, formatFreeHuman, formatStart, formatTopTime } from './format.js';

describe('time formats', () => {
  it.each([
    [0, '00:00:00', '0:00', '00:00'],
    [61, '00:01:01', '1:01', '01:01'],
    [3723, '01:02:03', '62:03', '01:02:03'],
    [2 * 86400 + 5, '2-00:00:05', '2880:05', '2-00:00:05'],
  ])('%i s → %s / %s / %s', (s, cpu, bsd, elapsed) => {
    expect([formatCpuTime(s), formatBsdTime(s), formatElapsed(s)]).toEqual([cpu, bsd, elapsed]);
  });
  it('formats TIME+ in hundredths', () => {
    expect(formatTopTime(12345)).toBe('2:03.45');
  });
  it('formats START like procps', () => {
    const now = new Date(2026, 10, 27, 10, 0).getTime();
    expect(formatStart(new Date(2026, 10, 27, 8, 54).getTime(), now)).toBe('08:54');
    expect(formatStart(new Date(2026, 10, 3, 8, 54).getTime(), now)).toBe('Nov03');
    expect(formatStart(new Date(2024, 1, 3).getTime(), now)).toBe('2024');
  });
});

describe('formatFreeHuman (procps free -h)', () => {
  // Values from `free -h` on the machine these tests were written on.
  it.each([
    [0, '0B'],
    [1023, '1.0Ki'],
    [24683656 * 1024, '23Gi'],
    [365248 * 1024, '356Mi'],
    [8952 * 1024, '8.7Mi'],
    [1232896 * 1024, '1.2Gi'],
    [512 * 1024, '512Ki'],
  ])('%i → %s', (bytes, text) => {
    expect(formatFreeHuman(bytes)).toBe(text);
  });
  it('uses powers of 1000 with --si', () => {
    expect(formatFreeHuman(2_500_000_000, true)).toBe('2.5G');
  });
});
