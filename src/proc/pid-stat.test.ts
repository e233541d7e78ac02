import { describe, expect, it } from 'vitest';
import { PF_KTHREAD, parseCmdline, parseStat, parseStatm } from './pid-stat.js';

const TAIL = '0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0';
// Fields 3..24: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
// utime stime cutime cstime priority nice num_threads itrealvalue starttime vsize rss
const line = (pidComm: string, rest: string): string => `${pidComm} ${rest} ${TAIL}\n`;

describe('parseStat', () => {
  it('reads the fields ps needs', () => {
    const s = parseStat(line('1234 (sshd)', 'S 1 1234 1234 34816 1300 4194560 10 0 0 0 150 50 0 0 20 0 3 0 987 12345678 456'));
    expect(s).toMatchObject({
      pid: 1234, comm: 'sshd', state: 'S', ppid: 1, pgrp: 1234, session: 1234, ttyNr: 34816, tpgid: 1300,
      utime: 150, stime: 50, priority: 20, nice: 0, threads: 3, startTime: 987, vsize: 12345678, rss: 456,
    });
  });
  it.each([
    ['(my (weird) name)'],
    ['a) S 1 2 3 ('],
    ['with space'],
    [')'],
    [''],
  ])('keeps a command name with spaces and parentheses intact: %j', (comm) => {
    const s = parseStat(line(`42 (${comm})`, 'R 7 42 42 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 100 2048 3'));
    expect(s.comm).toBe(comm);
    expect([s.pid, s.state, s.ppid, s.utime, s.stime, s.rss]).toEqual([42, 'R', 7, 5, 6, 3]);
  });
  it('reads a zombie and a kernel thread', () => {
    expect(parseStat(line('666 (defunct)', 'Z 4242 4242 4242 0 -1 4227084 0 0 0 0 1 1 0 0 20 0 1 0 6000 0 0')).state).toBe('Z');
    const k = parseStat(line('10 (kworker/0:0H-kblockd)', `I 2 0 0 0 -1 ${PF_KTHREAD | 0x40} 0 0 0 0 0 2 0 0 0 -20 1 0 14 0 0`));
    expect(k.flags & PF_KTHREAD).toBeTruthy();
    expect(k.nice).toBe(-20);
  });
  it.each([['garbage'], ['12 (x) S 1 2'], ['x (y) S ' + '1 '.repeat(30)]])('rejects %j', (text) => {
    expect(() => parseStat(text)).toThrow(/stat:/);
  });
});

describe('parseStatm / parseCmdline', () => {
  it('reads statm pages', () => {
    expect(parseStatm('10214 3251 1440 1350 0 8350 0\n')).toEqual({ size: 10214, resident: 3251, shared: 1440 });
    expect(() => parseStatm('x y')).toThrow(/statm/);
  });
  it('splits argv on NULs and keeps arguments with spaces', () => {
    expect(parseCmdline(Buffer.from('my weird\0--flag\0value with space\0'))).toEqual(['my weird', '--flag', 'value with space']);
    expect(parseCmdline('nginx: worker process')).toEqual(['nginx: worker process']);
    expect(parseCmdline(Buffer.alloc(0))).toEqual([]);
    expect(parseCmdline('a\0\0b\0')).toEqual(['a', '', 'b']);
  });
  it('drops the NUL padding of a rewritten title (process.title)', () => {
    expect(parseCmdline('breakglassd --port 22\0\0\0\0')).toEqual(['breakglassd --port 22']);
  });
});
