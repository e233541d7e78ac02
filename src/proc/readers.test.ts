// Contract suite: every reader runs against the fixture tree (known answers, edge cases)
// and against the real /proc of this machine (invariants that hold anywhere).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listPids, readAllProcesses, readProcess, scanProcesses } from './processes.js';
import { readLoadavg, readMeminfo, readMountinfo, readPageSize, readSysValue, readSystemStat, readUptime } from './system.js';

const FIXTURE = resolve(import.meta.dirname, '../../test/fixtures/proc');
const ROOTS = [
  ['fixture', FIXTURE],
  ['real /proc', '/proc'],
] as const;

describe.each(ROOTS)('readers over %s', (_label, root) => {
  it('lists PIDs in ascending order, PID 1 included', async () => {
    const pids = await listPids(root);
    expect(pids).toContain(1);
    expect(pids).toEqual([...pids].sort((a, b) => a - b));
  });

  it('reads every process consistently, skipping vanished ones', async () => {
    const list = await readAllProcesses(root);
    expect(list.length).toBeGreaterThan(3);
    expect(list.map((p) => p.pid)).toEqual([...list.map((p) => p.pid)].sort((a, b) => a - b));
    for (const p of list) {
      expect(p.state).toMatch(/^[RSDZTtXxKWPI]$/);
      expect(p.uid).toBeGreaterThanOrEqual(0);
      if (p.kernelThread) expect(p.args).toEqual([]);
    }
    expect(list.some((p) => p.kernelThread)).toBe(true);
    expect(await readProcess(root, 999_999_999)).toBeUndefined();
  });

  it('stops early and yields in PID order with a small window', async () => {
    const seen: number[] = [];
    for await (const p of scanProcesses(root, { concurrency: 2, cmdline: false })) {
      seen.push(p.pid);
      if (seen.length === 3) break;
    }
    expect(seen).toHaveLength(3);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    if (root === FIXTURE) expect(seen).toEqual([1, 2, 10]);
  });

  it('reads meminfo, uptime, loadavg and stat', async () => {
    const mem = await readMeminfo(root);
    expect(mem.get('MemTotal')).toBeGreaterThan(0);
    expect(mem.get('MemFree')).toBeLessThanOrEqual(mem.get('MemTotal')!);
    expect((await readUptime(root)).seconds).toBeGreaterThan(0);
    const load = await readLoadavg(root);
    expect(load.total).toBeGreaterThanOrEqual(load.running);
    const stat = await readSystemStat(root);
    expect(stat.btime * 1000).toBeLessThan(Date.now());
    expect(stat.cpus.length).toBeGreaterThan(0);
  });

  it('reads one mountinfo entry per line of mounts, / among them', async () => {
    const entries = await readMountinfo(root);
    const mounts = readFileSync(`${root}/self/mounts`, 'utf8').trim().split('\n');
    expect(entries).toHaveLength(mounts.length);
    expect(entries.map((e) => e.mountPoint)).toContain('/');
    entries.forEach((e, i) => expect(mounts[i]!.split(' ')[2]).toBe(e.fsType));
  });

  it('reads kernel values and the page size', async () => {
    expect(await readSysValue(root, 'kernel/ostype')).toBe('Linux');
    expect(await readSysValue(root, 'kernel/no-such-value')).toBeUndefined();
    const page = await readPageSize(root);
    expect(page & (page - 1)).toBe(0);
    expect(page).toBeGreaterThanOrEqual(4096);
  });
});

describe('fixture edge cases', () => {
  it('keeps a command name with spaces and parentheses', async () => {
    const p = await readProcess(FIXTURE, 4242);
    expect(p).toMatchObject({ comm: '(my (weird) name)', ppid: 1, args: ['my weird', '--flag', 'value with space'], kernelThread: false });
  });
  it('reads a zombie without argv and kernel threads by flag', async () => {
    expect(await readProcess(FIXTURE, 666)).toMatchObject({ state: 'Z', args: [], ppid: 4242 });
    expect(await readProcess(FIXTURE, 10)).toMatchObject({ kernelThread: true, comm: 'kworker/0:0H-kblockd' });
  });
  it('reads status and statm on request', async () => {
    const p = await readProcess(FIXTURE, 4242, { status: true, statm: true });
    expect(p?.status?.uids).toEqual([1000, 1000, 1000, 1000]);
    expect(p?.statm?.resident).toBe(3000);
  });
  it('reads the page size the kernel reports (16K fixture)', async () => {
    expect(await readPageSize(FIXTURE)).toBe(16384);
  });
  it('unescapes mount points with spaces', async () => {
    const e = (await readMountinfo(FIXTURE)).at(-1)!;
    expect([e.source, e.mountPoint]).toEqual(['my tmp', '/mnt/my disk']);
  });
});

describe('real /proc', () => {
  it('sees this test process with its argv and uid', async () => {
    const me = await readProcess('/proc', process.pid);
    expect(me?.args[0]).toBe(readFileSync('/proc/self/cmdline', 'utf8').split('\0')[0]);
    expect(me?.uid).toBe(process.getuid?.());
    expect(me?.ppid).toBe(process.ppid);
  });
});
