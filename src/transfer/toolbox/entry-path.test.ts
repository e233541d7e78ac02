import { describe, expect, it } from 'vitest';
import { ancestorsOf, checkSymlinkTarget, isArchiveName, normalizeEntryName, parentOf } from './entry-path.js';

describe('normalizeEntryName', () => {
  it.each([
    ['busybox', 'busybox'],
    ['./busybox', 'busybox'],
    ['./', ''],
    ['.', ''],
    ['bin/', 'bin'],
    ['a//b/./c', 'a/b/c'],
  ])('%s → %s', (name, path) => {
    expect(normalizeEntryName(name)).toEqual({ ok: true, path });
  });

  it.each([
    ['/etc/passwd', 'absolute path'],
    ['../evil', 'path contains ".."'],
    ['a/../../evil', 'path contains ".."'],
    ['a/..', 'path contains ".."'],
    ['a\0b', 'name contains a NUL byte'],
  ])('refuses %j', (name, reason) => {
    expect(normalizeEntryName(name)).toEqual({ ok: false, reason });
  });
});

describe('checkSymlinkTarget', () => {
  it.each([
    ['sh', 'busybox', 'busybox'],
    ['bin/sh', '../busybox', 'busybox'],
    ['a/b/c', '../../x/y', 'x/y'],
    ['here', '.', ''],
    ['bin/tool', 'real/tool', 'bin/real/tool'],
  ])('%s -> %s resolves to %j', (entry, target, path) => {
    expect(checkSymlinkTarget(entry, target)).toEqual({ ok: true, path });
  });

  it.each([
    ['evil', '/etc', /absolute path \/etc leaves the toolbox/],
    ['evil', '..', /leaves the toolbox/],
    ['bin/evil', '../../etc/passwd', /leaves the toolbox/],
    ['evil', 'sub/../../x', /climbs with ".." after descending/],
    ['evil', '', /empty symlink target/],
  ])('refuses %s -> %j', (entry, target, reason) => {
    const check = checkSymlinkTarget(entry, target);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(reason);
  });
});

describe('path helpers', () => {
  it('parentOf / ancestorsOf', () => {
    expect(parentOf('a/b/c')).toBe('a/b');
    expect(parentOf('a')).toBe('');
    expect(ancestorsOf('a/b/c')).toEqual(['a', 'a/b']);
    expect(ancestorsOf('a')).toEqual([]);
  });

  it.each([
    ['debug.tar', true],
    ['debug-arm64.tar.gz', true],
    ['tools.TGZ', true],
    ['x.tar.xz', false],
    ['notes.txt', false],
    ['sub/x.tar', false],
    ['.hidden.tar', false],
  ])('isArchiveName(%s) = %s', (name, expected) => {
    expect(isArchiveName(name)).toBe(expected);
  });
});
