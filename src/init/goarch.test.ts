import { describe, expect, it } from 'vitest';
import { goarchOf } from './goarch.js';

describe('goarchOf', () => {
  it.each([
    ['x64', 'amd64'],
    ['arm64', 'arm64'],
    ['arm', 'arm'],
    ['ia32', '386'],
    ['riscv64', 'riscv64'],
  ])('%s → %s', (node, go) => expect(goarchOf(node)).toBe(go));
});
