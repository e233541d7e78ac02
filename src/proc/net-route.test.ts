import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NetParseError } from './net-sockets.js';
import { parseArp, parseIfInet6, parseNetDev, parseRoute4, parseRoute6, RTF_GATEWAY, RTF_LOCAL } from './net-route.js';

const FIXTURES = resolve(import.meta.dirname, '../../test/fixtures/proc/net');
const fixture = (name: string): string => readFileSync(resolve(FIXTURES, name), 'latin1');

describe('parseRoute4', () => {
  it('decodes destinations, gateways, masks and metrics', () => {
    const routes = parseRoute4(fixture('route'));
    expect(routes).toEqual([
      { iface: 'eth0', destination: '0.0.0.0', gateway: '10.231.0.1', flags: 3, metric: 0, prefixLength: 0, mtu: 0, window: 0, irtt: 0 },
      { iface: 'eth0', destination: '10.231.0.0', gateway: '0.0.0.0', flags: 1, metric: 0, prefixLength: 24, mtu: 0, window: 0, irtt: 0 },
      { iface: 'wlan0', destination: '192.168.0.0', gateway: '0.0.0.0', flags: 1, metric: 600, prefixLength: 24, mtu: 0, window: 0, irtt: 0 },
    ]);
    expect(routes[0]!.flags & RTF_GATEWAY).toBeTruthy();
  });
  it('rejects a bad line', () => expect(() => parseRoute4('eth0 zzz 0 0\n')).toThrow(NetParseError));
});

describe('parseRoute6', () => {
  it('decodes prefixes, next hops, metrics and flags', () => {
    const routes = parseRoute6(fixture('ipv6_route'));
    expect(routes).toHaveLength(7);
    expect(routes[0]).toMatchObject({ destination: 'fd00::', prefixLength: 64, metric: 256, iface: 'eth0' });
    expect(routes[2]).toMatchObject({ destination: '::', prefixLength: 0, nextHop: 'fd00::1', metric: 1024, flags: 3 });
    expect(routes[3]!.flags & RTF_LOCAL).toBeTruthy();
    expect(routes[6]).toMatchObject({ metric: 0xffffffff, iface: 'lo' });
  });
  it('rejects a bad line', () => expect(() => parseRoute6('nonsense\n')).toThrow(NetParseError));
});

it('parseArp', () => {
  expect(parseArp(fixture('arp'))).toEqual([
    { address: '10.231.0.1', hwType: 1, flags: 2, hwAddress: '02:fc:00:00:00:05', iface: 'eth0' },
    { address: '10.231.0.9', hwType: 1, flags: 0, hwAddress: '00:00:00:00:00:00', iface: 'eth0' },
    { address: '10.231.0.7', hwType: 1, flags: 6, hwAddress: 'aa:bb:cc:dd:ee:ff', iface: 'eth0' },
  ]);
});

it('parseIfInet6', () => {
  expect(parseIfInet6(fixture('if_inet6'))).toEqual([
    { address: 'fd00::2', ifindex: 4, prefixLength: 64, scope: 0, flags: 0x82, iface: 'eth0' },
    { address: '::1', ifindex: 1, prefixLength: 128, scope: 0x10, flags: 0x80, iface: 'lo' },
    { address: 'fe80::fc:ff:fe00:1', ifindex: 4, prefixLength: 64, scope: 0x20, flags: 0x80, iface: 'eth0' },
    { address: 'fd00::abc', ifindex: 4, prefixLength: 64, scope: 0, flags: 0x40, iface: 'eth0' },
  ]);
});

it('parseNetDev reads the counters of every interface', () => {
  const rows = parseNetDev(' face |bytes\n  lo:    3193      29    0    0    4     0          0         0     3194      30    1    2    5     0       0          0\n');
  expect(rows).toEqual([{ iface: 'lo', rxBytes: 3193, rxPackets: 29, rxErrors: 0, rxDropped: 0, rxFifo: 4, txBytes: 3194, txPackets: 30, txErrors: 1, txDropped: 2, txFifo: 5 }]);
  expect(() => parseNetDev('eth0: 1 2 3\n')).toThrow(NetParseError);
});

describe('on the real /proc/net', () => {
  it('route, ipv6_route, arp, dev and if_inet6 parse', () => {
    const read = (n: string): string => {
      try {
        return readFileSync(`/proc/net/${n}`, 'latin1');
      } catch {
        return '';
      }
    };
    expect(parseRoute4(read('route')).length).toBeGreaterThanOrEqual(0);
    parseRoute6(read('ipv6_route'));
    parseArp(read('arp'));
    expect(parseNetDev(read('dev')).map((d) => d.iface)).toContain('lo');
    const v6 = parseIfInet6(read('if_inet6'));
    if (v6.length) expect(v6.some((a) => a.address === '::1')).toBe(true);
  });
});
