import { chmod as chmodPath, lstat, mkdir, mkdtemp, readFile, readlink, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cp } from './cp.js';
import { mv } from './mv.js';
import { runBuiltin } from '../../../test/helpers/file-builtin-ctx.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-cp-'));
  await mkdir(join(dir, 'src/sub'), { recursive: true });
  await writeFile(join(dir, 'src/a'), randomBytes(100_000));
  await writeFile(join(dir, 'src/sub/b'), 'bee');
  await chmodPath(join(dir, 'src/sub/b'), 0o751);
  await utimes(join(dir, 'src/sub/b'), new Date('2021-05-05'), new Date('2021-05-05'));
  await symlink('a', join(dir, 'src/link'));
  await mkdir(join(dir, 'dest'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('cp', () => {
  it('copies a file, and into a directory', async () => {
    expect((await runBuiltin(cp, ['src/a', 'copy'], { cwd: dir })).code).toBe(0);
    expect((await readFile(join(dir, 'copy'))).equals(await readFile(join(dir, 'src/a')))).toBe(true);
    expect((await runBuiltin(cp, ['src/a', 'src/sub/b', 'dest'], { cwd: dir })).code).toBe(0);
    expect(await readFile(join(dir, 'dest/b'), 'utf8')).toBe('bee');
  });
  it('follows a symlink source without -r, keeps links with -r', async () => {
    await runBuiltin(cp, ['src/link', 'plain'], { cwd: dir });
    expect((await lstat(join(dir, 'plain'))).isFile()).toBe(true);
    expect((await runBuiltin(cp, ['-r', 'src', 'tree'], { cwd: dir })).code).toBe(0);
    expect(await readlink(join(dir, 'tree/link'))).toBe('a');
    expect(await readFile(join(dir, 'tree/sub/b'), 'utf8')).toBe('bee');
  });
  it('-a preserves mode and times; plain cp does not keep times', async () => {
    await runBuiltin(cp, ['-a', 'src', 'arch'], { cwd: dir });
    const s = await stat(join(dir, 'arch/sub/b'));
    expect([(s.mode & 0o777).toString(8), s.mtime.toISOString()]).toEqual(['751', '2021-05-05T00:00:00.000Z']);
    await runBuiltin(cp, ['src/sub/b', 'fresh'], { cwd: dir });
    expect((await stat(join(dir, 'fresh'))).mtime.getFullYear()).toBeGreaterThan(2021);
  });
  it('copies into an existing directory as DEST/NAME with -r', async () => {
    await runBuiltin(cp, ['-r', 'src', 'dest'], { cwd: dir });
    expect(await readFile(join(dir, 'dest/src/sub/b'), 'utf8')).toBe('bee');
  });
  it.each([
    [['src', 'x'], "cp: -r not specified; omitting directory 'src'\n"],
    [['nope', 'x'], "cp: cannot stat 'nope': No such file or directory\n"],
    [['src/a', 'src/a'], "cp: 'src/a' and 'src/a' are the same file\n"],
    [['-r', 'src', 'src/sub'], "cp: cannot copy a directory, 'src', into itself, 'src/sub/src'\n"],
    [['src/a'], "cp: missing destination file operand after 'src/a'\nTry 'cp --help' for more information.\n"],
    [['src/a', 'src/sub/b', 'src/a'], "cp: target 'src/a' is not a directory\nTry 'cp --help' for more information.\n"],
  ])('errors: %j', async (args, message) => {
    const r = await runBuiltin(cp, args, { cwd: dir });
    expect(r.err).toBe(message);
    expect(r.code).toBe(1);
  });
});

describe('mv', () => {
  it('renames, and moves into a directory', async () => {
    expect((await runBuiltin(mv, ['src/a', 'moved'], { cwd: dir })).code).toBe(0);
    await expect(stat(join(dir, 'src/a'))).rejects.toThrow();
    expect((await stat(join(dir, 'moved'))).size).toBe(100_000);
    expect((await runBuiltin(mv, ['moved', 'src/sub', 'dest'], { cwd: dir })).code).toBe(0);
    expect(await readFile(join(dir, 'dest/sub/b'), 'utf8')).toBe('bee');
  });
  it('moves across file systems by copying (/dev/shm is tmpfs)', async () => {
    const shm = await mkdtemp('/dev/shm/bg-mv-').catch(() => undefined);
    if (!shm) return;
    try {
      expect((await runBuiltin(mv, ['src', shm], { cwd: dir })).code).toBe(0);
      await expect(stat(join(dir, 'src'))).rejects.toThrow();
      expect(await readFile(join(shm, 'src/sub/b'), 'utf8')).toBe('bee');
      expect(((await stat(join(shm, 'src/sub/b'))).mode & 0o777).toString(8)).toBe('751');
      expect(await readlink(join(shm, 'src/link'))).toBe('a');
    } finally {
      await rm(shm, { recursive: true, force: true });
    }
  });
  it.each([
    [['nope', 'x'], "mv: cannot stat 'nope': No such file or directory\n"],
    [['src', 'src/sub'], "mv: cannot move 'src' to a subdirectory of itself, 'src/sub/src'\n"],
    [['src/a', 'dest/'], ''],
  ])('%j', async (args, message) => {
    const r = await runBuiltin(mv, args, { cwd: dir });
    expect(r.err).toBe(message);
    expect(r.code).toBe(message ? 1 : 0);
  });
});
