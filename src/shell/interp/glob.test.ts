import { describe, expect, it } from 'vitest';
import { expandGlob, hasGlob, segmentRegExp } from './glob.js';
import type { ReadDir } from './glob.js';

const tree: Record<string, string[]> = {
  '/w': ['a.txt', 'b.txt', 'c.md', '.hidden', 'dir', 'x[1]'],
  '/w/dir': ['one.txt', 'two.log'],
  '/': ['w'],
};
const readDir: ReadDir = (d) => tree[d] ?? [];

describe('glob', () => {
  it.each([
    ['*.txt', ['a.txt', 'b.txt']],
    ['?.md', ['c.md']],
    ['[ab].txt', ['a.txt', 'b.txt']],
    ['[!a].txt', ['b.txt']],
    ['*', ['a.txt', 'b.txt', 'c.md', 'dir', 'x[1]']],
    ['.*', ['.hidden']],
    ['dir/*.txt', ['dir/one.txt']],
    ['*/t*', ['dir/two.log']],
    ['/w/d*/', ['/w/dir/']],
    ['*.none', []],
    ['x\\[1\\]', ['x[1]']],
    ['\\*.txt', []],
    ['*/missing', []],
  ])('%j', async (pattern, expected) => {
    expect(await expandGlob(pattern, '/w', readDir)).toEqual(expected);
  });
  it('knows escaped from active glob characters', () => {
    expect([hasGlob('a*'), hasGlob('a\\*'), hasGlob('[x]'), hasGlob('plain')]).toEqual([true, false, true, false]);
    expect(segmentRegExp('a.b*').test('a.bcd')).toBe(true);
    expect(segmentRegExp('a.b*').test('axbcd')).toBe(false);
    expect(segmentRegExp('[a-c]').test('b')).toBe(true);
    expect(segmentRegExp('[').test('[')).toBe(true);
  });
});
