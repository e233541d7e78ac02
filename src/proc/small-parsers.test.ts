import { describe, expect, it } from 'vitest';
import { formatKmsgRecord, parseKmsgRecord } from './kmsg.js';
import { parsePasswd, userName } from './passwd.js';
import { parseSysctlConf, sysctlName, sysctlPath } from './sysctl.js';
import { ttyName } from './tty.js';

describe('kmsg', () => {
  it('parses a record with continuation lines', () => {
    const r = parseKmsgRecord('6,339,5140900,-;NET: Registered PF_INET6 protocol family\n SUBSYSTEM=net\n DEVICE=+net:eth0\n');
    expect(r).toEqual({ facility: 0, level: 6, sequence: 339, timestampUs: 5140900, flags: '-', message: 'NET: Registered PF_INET6 protocol family', dict: { SUBSYSTEM: 'net', DEVICE: '+net:eth0' } });
    expect(formatKmsgRecord(r)).toBe('[    5.140900] NET: Registered PF_INET6 protocol family');
    expect(formatKmsgRecord(r, true)).toBe('<6>[    5.140900] NET: Registered PF_INET6 protocol family');
  });
  it('splits facility and level; keeps ";" inside the message', () => {
    const r = parseKmsgRecord('30,1,12345678901,c;a;b');
    expect([r.facility, r.level, r.message]).toEqual([3, 6, 'a;b']);
    expect(formatKmsgRecord(r)).toBe('[12345.678901] a;b');
  });
  it.each([['no separator'], ['x,1,2,-;msg']])('rejects %j', (t) => expect(() => parseKmsgRecord(t)).toThrow(/kmsg/));
});

describe('passwd', () => {
  it('maps uids to the first name; uid 0 is root even without a file', () => {
    const names = parsePasswd('# comment\nroot:x:0:0:root:/root:/bin/sh\nwww-data:x:33:33::/var/www:/usr/sbin/nologin\ndup:x:33:33::/:/bin/false\nbroken\n');
    expect([userName(names, 0), userName(names, 33), userName(names, 1000)]).toEqual(['root', 'www-data', '1000']);
    expect(userName(new Map(), 0)).toBe('root');
  });
});

describe('sysctl names', () => {
  it.each([
    ['net.ipv4.ip_forward', 'net/ipv4/ip_forward'],
    ['net/ipv4/ip_forward', 'net/ipv4/ip_forward'],
    ['net.ipv4.conf.eth0/100.rp_filter', 'net/ipv4/conf/eth0.100/rp_filter'],
    ['net/ipv4/conf/eth0.100/rp_filter', 'net/ipv4/conf/eth0.100/rp_filter'],
  ])('%s → %s', (name, path) => expect(sysctlPath(name)).toBe(path));
  it('names a path with dotted components the procps way', () => {
    expect(sysctlName('net/ipv4/conf/eth0.100/rp_filter')).toBe('net.ipv4.conf.eth0/100.rp_filter');
  });
  it.each([['../../etc/passwd'], ['kernel/../../x'], ['']])('refuses %j', (n) => expect(() => sysctlPath(n)).toThrow(/invalid name/));
  it('parses sysctl.conf', () => {
    expect(parseSysctlConf('# c\n; c\n\nvm.swappiness = 10\n-net.x=1\n')).toEqual([
      { name: 'vm.swappiness', value: '10', line: 4, ignoreErrors: false },
      { name: 'net.x', value: '1', line: 5, ignoreErrors: true },
    ]);
    expect(() => parseSysctlConf('nonsense\n')).toThrow(/line 1/);
  });
});

describe('ttyName', () => {
  it.each([
    [0, '?'],
    [(136 << 8) | 3, 'pts/3'],
    [(137 << 8) | 1, 'pts/257'],
    [(4 << 8) | 1, 'tty1'],
    [(4 << 8) | 64, 'ttyS0'],
    [(204 << 8) | 64, 'ttyAMA0'],
    [(5 << 8) | 1, 'console'],
  ])('%i → %s', (nr, name) => expect(ttyName(nr)).toBe(name));
});
