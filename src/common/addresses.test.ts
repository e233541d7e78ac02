import { describe, expect, it } from 'vitest';
import { addressInCidr, isPrivateAddress, parseListenSpec, privateInterfaceAddresses } from './addresses.js';
import type { InterfaceTable } from './addresses.js';

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.254', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['100.64.0.1', true],
    ['100.127.255.255', true],
    ['100.128.0.1', false],
    ['169.254.3.4', true],
    ['::1', true],
    ['fd00::1', true],
    ['fc00::5', true],
    ['fe80::1%eth0', true],
    ['8.8.8.8', false],
    ['2001:db8::1', false],
    ['0.0.0.0', false],
    ['::', false],
    ['::ffff:10.0.0.1', true],
    ['::ffff:8.8.8.8', false],
    ['not-an-ip', false],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe('addressInCidr', () => {
  it.each([
    ['10.0.0.7', '10.0.0.0/8', true],
    ['11.0.0.7', '10.0.0.0/8', false],
    ['10.0.0.7', '10.0.0.7', true],
    ['fe80::1', 'fe80::/10', true],
    ['2001:db8::1', 'fe80::/10', false],
    ['10.0.0.7', 'fe80::/10', false],
  ])('%s in %s → %s', (address, cidr, expected) => {
    expect(addressInCidr(address, cidr)).toBe(expected);
  });
});

describe('privateInterfaceAddresses', () => {
  const info = (address: string, family: 'IPv4' | 'IPv6') => ({
    address, family, netmask: '', mac: '', internal: false, cidr: null, scopeid: 0,
  }) as never;
  const table: InterfaceTable = {
    lo: [info('127.0.0.1', 'IPv4'), info('::1', 'IPv6')],
    eth0: [info('10.0.0.7', 'IPv4'), info('8.8.8.8', 'IPv4'), info('fe80::1', 'IPv6'), info('2001:db8::1', 'IPv6')],
    uplink0: [info('192.168.1.2', 'IPv4')],
    wg0: [info('100.64.1.1', 'IPv4'), info('fd12::1', 'IPv6')],
  };
  it('keeps private addresses of non-uplink interfaces, loopback first', () => {
    expect(privateInterfaceAddresses(table).map((a) => `${a.ifname}/${a.address}`)).toEqual([
      'lo/127.0.0.1', 'lo/::1', 'eth0/10.0.0.7', 'wg0/100.64.1.1', 'wg0/fd12::1', 'eth0/fe80::1',
    ]);
  });
});

describe('parseListenSpec', () => {
  it('accepts private and explicit private addresses', () => {
    expect(parseListenSpec('private', false)).toEqual({ kind: 'private' });
    expect(parseListenSpec('127.0.0.1,::1', false)).toMatchObject({ kind: 'explicit' });
  });
  it.each(['0.0.0.0', '::', '8.8.8.8'])('refuses %s without --allow-public, naming the flag', (addr) => {
    expect(() => parseListenSpec(addr, false)).toThrow(/--allow-public/);
    expect(parseListenSpec(addr, true)).toMatchObject({ kind: 'explicit' });
  });
  it('refuses garbage', () => {
    expect(() => parseListenSpec('pi.local', false)).toThrow(/not an IP address/);
  });
});
