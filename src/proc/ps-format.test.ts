import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from './processes.js';
import { PsFormatError, bsdStat, buildForest, commandLine, forestPrefix, formatRow, headerRow, parseFormat } from './ps-format.js';

function proc(pid: number, ppid: number, extra: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid, ppid, comm: `p${pid}`, state: 'S', pgrp: pid, session: pid, ttyNr: 0, tpgid: -1, flags: 0, utime: 0, stime: 0,
    priority: 20, nice: 0, threads: 1, startTime: 0, vsize: 0, rss: 0, processor: 0, uid: 0, args: [`/bin/p${pid}`], kernelThread: false,
    ...extra,
  };
}

describe('parseFormat', () => {
  it('takes comma and space lists, aliases and renamed headers', () => {
    expect(parseFormat(['pid,ppid', 'user cmd']).map((c) => c.key)).toEqual(['pid', 'ppid', 'user', 'cmd']);
    expect(parseFormat(['pcpu,rsz,command']).map((c) => c.key)).toEqual(['%cpu', 'rss', 'args']);
    const renamed = parseFormat(['pid,comm=Program Name']);
    expect(renamed.map((c) => c.header)).toEqual(['PID', 'Program Name']);
    expect(headerRow(renamed)).toBe('  PID Program Name');
  });
  it.each([[['nope']], [['']], [['pid,,bogus']]])('rejects %j', (spec) => {
    expect(() => parseFormat(spec)).toThrow(PsFormatError);
  });
  it('pads, right-aligns numbers and leaves the last column unpadded', () => {
    const cols = parseFormat(['pid,tty,args']);
    expect(formatRow(['7', '?', 'x y'], cols)).toBe('    7 ?        x y');
  });
});

describe('process presentation', () => {
  it('shows kernel threads and zombies like procps', () => {
    expect(commandLine(proc(2, 0, { args: [], comm: 'kthreadd' }))).toBe('[kthreadd]');
    expect(commandLine(proc(9, 1, { state: 'Z', args: [], comm: 'gone' }))).toBe('[gone] <defunct>');
    expect(commandLine(proc(5, 1, { args: ['a\nb', 'c'] }))).toBe('a?b c');
  });
  it.each([
    [{ state: 'S' }, 'Ss'],
    [{ state: 'R', nice: -5, session: 1, threads: 4 }, 'R<l'],
    [{ state: 'S', nice: 19, session: 1, ttyNr: 34816, tpgid: 5, pgrp: 5 }, 'SN+'],
    [{ state: 'D', session: 1, status: { vmLckKb: 8 } as ProcessInfo['status'] }, 'DL'],
  ])('STAT of %j is %s', (extra, stat) => {
    expect(bsdStat(proc(5, 1, extra as Partial<ProcessInfo>))).toBe(stat);
  });
});

describe('forest', () => {
  it('draws procps-style branches with continuation bars', () => {
    const nodes = buildForest([proc(1, 0), proc(10, 1), proc(11, 10), proc(12, 11), proc(20, 1), proc(2, 0), proc(3, 2)]);
    expect(nodes.map((n) => `${n.process.pid}:${n.prefix}`)).toEqual([
      '1:', '10: \\_ ', '11: |   \\_ ', '12: |       \\_ ', '20: \\_ ', '2:', '3: \\_ ',
    ]);
    expect(forestPrefix(0, [])).toBe('');
  });
  it('survives a parent cycle and orphans', () => {
    const nodes = buildForest([proc(5, 6), proc(6, 5), proc(7, 99)]);
    expect(nodes.map((n) => n.process.pid).sort()).toEqual([5, 6, 7]);
  });
});
