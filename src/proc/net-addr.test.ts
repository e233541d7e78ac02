import { describe, expect, it } from 'vitest';
import { formatIPv6, hexToIPv4, hexToIPv6, hexToIPv6Words, ipv4PrefixLength } from './net-addr.js';

describe('hexToIPv4', () => {
  it.each([
    ['0100007F', '127.0.0.1'],
    ['00000000', '0.0.0.0'],
    ['020200C0', '192.0.2.2'],
    ['0200E70A', '10.231.0.2'],
    ['FFFFFFFF', '255.255.255.255'],
  ])('%s → %s (little-endian)', (hex, ip) => expect(hexToIPv4(hex)).toBe(ip));
  it('big-endian hosts print the word in network order', () => expect(hexToIPv4('7F000001', false)).toBe('127.0.0.1'));
});

describe('hexToIPv6Words (tcp6 layout)', () => {
  it.each([
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000001000000', '::1'],
    ['0000000000000000FFFF00000100007F', '::ffff:127.0.0.1'],
    ['000080FE00000000FF00FC0001000EFE', 'fe80::fc:ff:fe0e:1'],
    ['B80D0120000000000000000001000000', '2001:db8::1'],
  ])('%s → %s', (hex, ip) => expect(hexToIPv6Words(hex)).toBe(ip));
});

describe('hexToIPv6 (if_inet6 / ipv6_route layout)', () => {
  it.each([
    ['fe8000000000000000fc00fffe000001', 'fe80::fc:ff:fe00:1'],
    ['00000000000000000000000000000001', '::1'],
    ['fd000000000000000000000000000002', 'fd00::2'],
    ['20010db8000100000000000000000000', '2001:db8:1::'],
  ])('%s → %s', (hex, ip) => expect(hexToIPv6(hex)).toBe(ip));
});

describe('formatIPv6 (RFC 5952)', () => {
  it('compresses the longest run, the first of equal runs', () => {
    expect(formatIPv6([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1])).toBe('2001:db8::1:0:0:1');
    expect(formatIPv6([0x2001, 0, 0, 1, 0, 0, 0, 1])).toBe('2001:0:0:1::1');
  });
  it('does not compress a single zero group', () => expect(formatIPv6([0x2001, 0xdb8, 0, 1, 1, 1, 1, 1])).toBe('2001:db8:0:1:1:1:1:1'));
});

it('ipv4PrefixLength', () => {
  expect(ipv4PrefixLength('255.255.255.0')).toBe(24);
  expect(ipv4PrefixLength('255.0.0.0')).toBe(8);
  expect(ipv4PrefixLength('0.0.0.0')).toBe(0);
});
