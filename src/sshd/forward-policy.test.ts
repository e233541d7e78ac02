import { describe, expect, it } from 'vitest';
import { defaultKeyOptions } from './authorized-keys.js';
import { isLoopbackAddress, modeAllowsAddress, permitOpenAllows, precheckForward } from './forward-policy.js';

describe('forward policy', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.1', false],
    ['::', false],
  ])('isLoopbackAddress(%s) → %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });

  it.each([
    ['off', '127.0.0.1', false],
    ['loopback', '127.0.0.1', true],
    ['loopback', '10.0.0.1', false],
    ['private-network', '10.0.0.1', true],
    ['private-network', '127.0.0.1', true],
    ['private-network', '8.8.8.8', false],
  ] as const)('%s allows %s → %s', (mode, address, expected) => {
    expect(modeAllowsAddress(mode, address)).toBe(expected);
  });

  it('permitopen matches host literally (case-insensitive) and * ports/hosts', () => {
    const list = [{ host: 'db.local', port: 5432 }, { host: '127.0.0.1', port: undefined }, { host: '*', port: 8080 }];
    expect(permitOpenAllows([], 'anything', 1)).toBe(true);
    expect(permitOpenAllows(list, 'DB.local', 5432)).toBe(true);
    expect(permitOpenAllows(list, 'db.local', 5433)).toBe(false);
    expect(permitOpenAllows(list, '127.0.0.1', 9)).toBe(true);
    expect(permitOpenAllows(list, 'localhost', 9)).toBe(false);
    expect(permitOpenAllows(list, 'x', 8080)).toBe(true);
  });

  it('prechecks mode, no-port-forwarding and permitopen', () => {
    const open = defaultKeyOptions();
    expect(precheckForward('off', open, '127.0.0.1', 80)).toMatch(/--forward off/);
    expect(precheckForward('loopback', { ...open, portForwarding: false }, '127.0.0.1', 80)).toMatch(/no-port-forwarding/);
    expect(precheckForward('loopback', { ...open, permitOpen: [{ host: '127.0.0.1', port: 81 }] }, '127.0.0.1', 80)).toMatch(/permitopen/);
    expect(precheckForward('loopback', open, '127.0.0.1', 80)).toBeUndefined();
  });
});
