import { describe, expect, it } from 'vitest';
import { runLines } from '../../../test/helpers/test-interpreter.js';
import { jobLine } from './jobs.js';

describe('jobs, fg, bg, wait', () => {
  it('formats job lines like bash', () => {
    expect(jobLine({ id: 1, pids: [10], command: 'sleep 5', state: 'Running', mark: '+' })).toBe('[1]+  Running                 sleep 5 &');
    expect(jobLine({ id: 2, pids: [11], command: 'x', state: 'Done', status: { code: 3 }, mark: '-' }, true)).toBe('[2]- 11 Exit 3                  x');
    expect(jobLine({ id: 3, pids: [], command: 'y', state: 'Done', status: { code: 137, signal: 'KILL' }, mark: ' ' })).toBe('[3]   Killed                  y');
  });
  it('lists running and finished jobs, then forgets the finished ones', async () => {
    const r = await runLines(['/bin/sleep 5 &', 'true &', '/bin/sleep 0.01', 'jobs', 'jobs']);
    expect(r.stdout).toBe('[1]+  Running                 /bin/sleep 5 &\n[2]   Done                    true\n[1]+  Running                 /bin/sleep 5 &\n');
    await r.interp.close(100);
  });
  it('fg waits for a background job and returns its status', async () => {
    const r = await runLines(['sh -c "sleep 0.1; exit 6" &', 'fg %1', 'echo $?']);
    expect(r.stdout).toBe('sh -c "sleep 0.1; exit 6"\n6\n');
  });
  it('bg continues a stopped job', async () => {
    const r = await runLines(['/bin/sleep 5 &', 'kill -STOP %1', 'bg %1', 'jobs']);
    expect(r.stdout).toContain('[1]+ /bin/sleep 5 &\n');
    await r.interp.close(100);
  });
  it('an interactive shell announces a job with its PID, or how to reach a job of built-ins', async () => {
    const r = await runLines(['/bin/sleep 5 &', 'sleep 30 &'], { interactive: true });
    const pid = r.interp.jobList()[0]!.pids[0];
    expect(r.stderr).toBe(`[1] ${pid}\n[2] (built-in, no PID: use %2)\n`);
    await r.interp.close(100);
  });
  it('a killed job is Terminated (or Killed), for processes and built-ins alike; exit 143 stays Exit 143', async () => {
    const r = await runLines(['/bin/sleep 5 &', 'sleep 30 &', 'sh -c "exit 143" &', 'kill %1 %2', '/bin/sleep 0.3', 'jobs']);
    expect(r.stdout).toBe(
      ['[1]   Terminated              /bin/sleep 5', '[2]   Terminated              sleep 30', '[3]   Exit 143                sh -c "exit 143"', ''].join('\n'),
    );
  });
  it('errors: no current job, unknown job', async () => {
    expect(await runLines('fg')).toMatchObject({ code: 1, stderr: 'fg: no current job\n' });
    expect(await runLines('bg %3')).toMatchObject({ code: 1, stderr: 'bg: %3: no such job\n' });
    expect(await runLines('wait %3')).toMatchObject({ code: 127, stderr: 'wait: %3: no such job\n' });
  });
});
