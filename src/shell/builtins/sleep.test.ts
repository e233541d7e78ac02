import { describe, expect, it } from 'vitest';
import { runLines, testInterpreter } from '../../../test/helpers/test-interpreter.js';
import { parseSleep } from './sleep.js';

describe('sleep', () => {
  it.each([
    ['1', 1],
    ['0.25', 0.25],
    ['.5', 0.5],
    ['2m', 120],
    ['1h', 3600],
    ['1d', 86400],
    ['inf', Infinity],
    ['x', undefined],
    ['-1', undefined],
    ['1x', undefined],
  ])('%j → %s', (arg, seconds) => {
    expect(parseSleep(arg)).toBe(seconds);
  });

  it('sleeps the sum of its arguments', async () => {
    const started = Date.now();
    const r = await runLines('sleep 0.1 0.05');
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('bad input is exit 2', async () => {
    expect(await runLines('sleep abc')).toMatchObject({ code: 2, stderr: "sleep: invalid number 'abc'\n" });
    expect(await runLines('sleep')).toMatchObject({ code: 2, stderr: 'sleep: missing operand\n' });
  });

  it('is interrupted by ^C (the job is signalled) with 130', async () => {
    const t = testInterpreter({
      onForeground: (job) => {
        if (job) setTimeout(() => job.kill('SIGINT'), 50);
      },
    });
    const started = Date.now();
    const r = await t.interp.runLine('sleep 30');
    expect(r.code).toBe(130);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
