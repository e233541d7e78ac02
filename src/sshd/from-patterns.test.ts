import { describe, expect, it } from 'vitest';
import { fromAllows, globMatch, normalizeClientAddress } from './from-patterns.js';

describe('globMatch', () => {
  it.each([
    ['10.0.0.7', '10.0.0.*', true],
    ['10.0.0.7', '10.0.0.?', true],
    ['10.0.0.77', '10.0.0.?', false],
    ['10.0.0.7', '*', true],
    ['10.0.0.7', '10.*.7', true],
    ['10.0.0.7', '10.0.0.8', false],
    ['FE80::1', 'fe80::*', true],
    ['abc', 'a*b*c', true],
    ['abxc', 'a*b', false],
  ])('%s ~ %s → %s', (text, pattern, expected) => {
    expect(globMatch(text, pattern)).toBe(expected);
  });
});

describe('fromAllows (sshd from= semantics)', () => {
  it.each([
    [['127.0.0.1'], '127.0.0.1', true],
    [['10.0.0.0/8'], '10.1.2.3', true],
    [['10.0.0.0/8'], '192.168.1.1', false],
    [['10.0.0.0/8', '!10.0.0.9'], '10.0.0.9', false],
    [['!10.0.0.9', '10.0.0.0/8'], '10.0.0.8', true],
    [['!10.0.0.9'], '10.0.0.8', false], // only negations never allow
    [['192.168.*'], '192.168.4.4', true],
    [['*.example.com'], '10.0.0.1', false], // no DNS: names never match an address
    [['fd00::/8'], 'fd12::1', true],
    [['127.0.0.1'], '::ffff:127.0.0.1', true],
  ])('%j allows %s → %s', (patterns, address, expected) => {
    expect(fromAllows(patterns, address)).toBe(expected);
  });

  it('normalizes IPv4-mapped IPv6 addresses', () => {
    expect(normalizeClientAddress('::ffff:10.1.1.1')).toBe('10.1.1.1');
    expect(normalizeClientAddress('::1')).toBe('::1');
  });
});
