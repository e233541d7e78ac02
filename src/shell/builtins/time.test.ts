import { describe, expect, it } from 'vitest';
import { runLines } from '../../../test/helpers/test-interpreter.js';
import { childTimes, formatTime } from './time.js';

describe('time', () => {
  it('formats like busybox', () => {
    expect(formatTime(0)).toBe('0m 0.00s');
    expect(formatTime(1.257)).toBe('0m 1.26s');
    expect(formatTime(75.5)).toBe('1m 15.50s');
  });
  it('reads cutime/cstime from /proc/self/stat', () => {
    const stat = '123 (node (x) y) S 1 123 123 0 -1 4194560 100 0 0 0 50 20 250 130 20 0 11 0 100 1000 50';
    expect(childTimes(stat)).toEqual({ user: 2.5, sys: 1.3 });
  });
  it('runs the command, keeps its status and prints three lines on stderr', async () => {
    const r = await runLines('time sh -c "exit 4"');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^real\t0m \d\.\d\ds\nuser\t0m \d\.\d\ds\nsys\t0m \d\.\d\ds\n$/);
    const b = await runLines('time echo hi');
    expect(b.stdout).toBe('hi\n');
  });
  it('needs a command', async () => {
    expect(await runLines('time')).toMatchObject({ code: 2, stderr: 'time: missing COMMAND\n' });
  });
});
