import { describe, expect, it } from 'vitest';
import { parseStatus } from './status.js';

describe('parseStatus', () => {
  it('types the fields and keeps the rest', () => {
    const s = parseStatus('Name:\tmy\\nname\nState:\tS (sleeping)\nPid:\t7\nPPid:\t1\nUid:\t1000\t1001\t1002\t1003\nGid:\t5\t5\t5\t5\nVmSize:\t  482304 kB\nVmLck:\t       4 kB\nVmRSS:\t   12000 kB\nThreads:\t3\nCpus_allowed_list:\t0-1\n');
    expect(s).toMatchObject({ name: 'my\nname', state: 'S', pid: 7, ppid: 1, uids: [1000, 1001, 1002, 1003], threads: 3, vmRssKb: 12000, vmSizeKb: 482304, vmLckKb: 4 });
    expect(s.fields.get('Cpus_allowed_list')).toBe('0-1');
  });
  it('leaves memory undefined for kernel threads', () => {
    const s = parseStatus('Name:\tkthreadd\nState:\tS (sleeping)\nPid:\t2\nPPid:\t0\nUid:\t0\t0\t0\t0\nThreads:\t1\n');
    expect(s.vmRssKb).toBeUndefined();
    expect(s.uids[1]).toBe(0);
  });
});
