import { describe, expect, it } from 'vitest';
import { KERNEL_HOSTNAME_PATH, applyHostname } from './hostname.js';

function harness(pid: number, current: string, fail?: Error) {
  const writes: Array<[string, string]> = [];
  const lines: string[] = [];
  const deps = {
    pid,
    current: () => current,
    log: (line: string) => lines.push(line),
    write: async (path: string, text: string): Promise<void> => {
      if (fail) throw fail;
      writes.push([path, text]);
    },
  };
  return { deps, writes, lines };
}

describe('applyHostname', () => {
  it('as PID 1 writes a different configured name to /proc/sys/kernel/hostname and logs one line', async () => {
    const h = harness(1, 'localhost');
    expect(await applyHostname('pi', h.deps)).toBe('set');
    expect(h.writes).toEqual([[KERNEL_HOSTNAME_PATH, 'pi']]);
    expect(h.writes[0]![0]).toBe('/proc/sys/kernel/hostname');
    expect(h.lines).toEqual(['hostname set to pi (was localhost)']);
  });

  it('never touches the hostname when not PID 1 (npm start on a developer machine)', async () => {
    const h = harness(4242, 'dev-laptop');
    expect(await applyHostname('pi', h.deps)).toBe('not-pid1');
    expect(h.writes).toEqual([]);
    expect(h.lines).toEqual([]);
  });

  it('defaults to the real pid, which is not 1 under vitest', async () => {
    const h = harness(1, 'dev-laptop');
    const { pid: _pid, ...deps } = h.deps;
    expect(await applyHostname('pi', deps)).toBe('not-pid1');
    expect(h.writes).toEqual([]);
  });

  it('writes nothing when the name is already right or not configured', async () => {
    const h = harness(1, 'pi');
    expect(await applyHostname('pi', h.deps)).toBe('unchanged');
    expect(await applyHostname(undefined, h.deps)).toBe('unchanged');
    expect(await applyHostname('', h.deps)).toBe('unchanged');
    expect(h.writes).toEqual([]);
    expect(h.lines).toEqual([]);
  });

  it('turns a failed write into a warning line instead of an error', async () => {
    const h = harness(1, 'localhost', Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
    expect(await applyHostname('pi', h.deps)).toBe('failed');
    expect(h.lines).toEqual([`warning: cannot set the hostname to pi (${KERNEL_HOSTNAME_PATH}): EACCES: permission denied`]);
  });
});
