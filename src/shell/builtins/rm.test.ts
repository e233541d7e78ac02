import { lstat, mkdir, mkdtemp, readlink, rm as rmPath, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ln } from './ln.js';
import { mkdir as mkdirBuiltin } from './mkdir.js';
import { rm } from './rm.js';
import { rmdir } from './rmdir.js';
import { runBuiltin } from '../../../test/helpers/file-builtin-ctx.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-rm-'));
  await mkdir(join(dir, 'tree/a/b'), { recursive: true });
  await writeFile(join(dir, 'tree/a/b/f'), 'x');
  await writeFile(join(dir, 'file'), 'x');
  await mkdir(join(dir, 'empty'));
});
afterEach(() => rmPath(dir, { recursive: true, force: true }));

const gone = async (path: string): Promise<boolean> => lstat(path).then(() => false, () => true);

describe('rm', () => {
  it('removes files, trees with -r, empty dirs with -d', async () => {
    expect((await runBuiltin(rm, ['file'], { cwd: dir })).code).toBe(0);
    expect((await runBuiltin(rm, ['-r', 'tree'], { cwd: dir })).code).toBe(0);
    expect((await runBuiltin(rm, ['-d', 'empty'], { cwd: dir })).code).toBe(0);
    expect([await gone(join(dir, 'file')), await gone(join(dir, 'tree')), await gone(join(dir, 'empty'))]).toEqual([true, true, true]);
  });
  it('removes a symlink, not its target', async () => {
    await symlink('tree', join(dir, 'l'));
    expect((await runBuiltin(rm, ['-r', 'l'], { cwd: dir })).code).toBe(0);
    expect(await gone(join(dir, 'tree/a/b/f'))).toBe(false);
  });
  it('-f is quiet about missing files', async () => {
    const r = await runBuiltin(rm, ['-f', 'nope', 'file'], { cwd: dir });
    expect([r.err, r.code]).toEqual(['', 0]);
    expect((await runBuiltin(rm, ['-f'], { cwd: dir })).code).toBe(0);
  });
  it.each([
    [['nope'], "rm: cannot remove 'nope': No such file or directory\n"],
    [['tree'], "rm: cannot remove 'tree': Is a directory\n"],
    [['-d', 'tree'], "rm: cannot remove 'tree': Directory not empty\n"],
    [['-r', '.'], "rm: refusing to remove '.' or '..' directory: skipping '.'\n"],
    [['-rf', '/'], "rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n"],
    [[], "rm: missing operand\nTry 'rm --help' for more information.\n"],
    [['-i', 'file'], "rm: invalid option -- 'i'\nTry 'rm --help' for more information.\n"],
  ])('errors: %j', async (args, message) => {
    const r = await runBuiltin(rm, args, { cwd: dir });
    expect(r.err).toBe(message);
    expect(r.code).toBe(1);
  });
});

describe('mkdir / rmdir', () => {
  it('mkdir makes one directory, -p the parents, -m its mode', async () => {
    expect((await runBuiltin(mkdirBuiltin, ['new'], { cwd: dir })).code).toBe(0);
    expect((await runBuiltin(mkdirBuiltin, ['-p', 'x/y/z', 'tree'], { cwd: dir })).code).toBe(0);
    expect((await stat(join(dir, 'x/y/z'))).isDirectory()).toBe(true);
    expect((await runBuiltin(mkdirBuiltin, ['-m', '700', 'private'], { cwd: dir })).code).toBe(0);
    expect(((await stat(join(dir, 'private'))).mode & 0o777).toString(8)).toBe('700');
    expect((await runBuiltin(mkdirBuiltin, ['-m', 'u=rwx,g=rx,o=', 'sym'], { cwd: dir })).code).toBe(0);
    expect(((await stat(join(dir, 'sym'))).mode & 0o777).toString(8)).toBe('750');
  });
  it.each([
    [['tree'], "mkdir: cannot create directory 'tree': File exists\n"],
    [['no/such/parent'], "mkdir: cannot create directory 'no/such/parent': No such file or directory\n"],
    [['-p', 'file/sub'], "mkdir: cannot create directory 'file/sub': Not a directory\n"],
    [['-m', 'bogus', 'd'], "mkdir: invalid mode 'bogus'\nTry 'mkdir --help' for more information.\n"],
  ])('mkdir errors: %j', async (args, message) => {
    const r = await runBuiltin(mkdirBuiltin, args, { cwd: dir });
    expect(r.err).toBe(message);
    expect(r.code).toBe(1);
  });
  it('rmdir removes empty directories, -p the chain', async () => {
    await mkdir(join(dir, 'p/q/r'), { recursive: true });
    expect((await runBuiltin(rmdir, ['empty'], { cwd: dir })).code).toBe(0);
    expect((await runBuiltin(rmdir, ['-p', 'p/q/r'], { cwd: dir })).code).toBe(0);
    expect(await gone(join(dir, 'p'))).toBe(true);
  });
  it.each([
    [['tree'], "rmdir: failed to remove 'tree': Directory not empty\n"],
    [['file'], "rmdir: failed to remove 'file': Not a directory\n"],
    [['nope'], "rmdir: failed to remove 'nope': No such file or directory\n"],
  ])('rmdir errors: %j', async (args, message) => {
    const r = await runBuiltin(rmdir, args, { cwd: dir });
    expect(r.err).toBe(message);
    expect(r.code).toBe(1);
  });
});

describe('ln', () => {
  it('makes symbolic and hard links, in a directory too', async () => {
    expect((await runBuiltin(ln, ['-s', 'file', 'sym'], { cwd: dir })).code).toBe(0);
    expect(await readlink(join(dir, 'sym'))).toBe('file');
    expect((await runBuiltin(ln, ['file', 'hard'], { cwd: dir })).code).toBe(0);
    expect((await stat(join(dir, 'hard'))).ino).toBe((await stat(join(dir, 'file'))).ino);
    expect((await runBuiltin(ln, ['-s', '/etc/hostname', 'empty'], { cwd: dir })).code).toBe(0);
    expect(await readlink(join(dir, 'empty/hostname'))).toBe('/etc/hostname');
  });
  it('-f replaces an existing link', async () => {
    await symlink('old', join(dir, 'l'));
    expect((await runBuiltin(ln, ['-sf', 'new', 'l'], { cwd: dir })).code).toBe(0);
    expect(await readlink(join(dir, 'l'))).toBe('new');
  });
  it.each([
    [['-s', 'x', 'file'], "ln: failed to create symbolic link 'file': File exists\n"],
    [['nope', 'h'], "ln: failed to access 'nope': No such file or directory\n"],
    [[], "ln: missing file operand\nTry 'ln --help' for more information.\n"],
  ])('errors: %j', async (args, message) => {
    const r = await runBuiltin(ln, args, { cwd: dir });
    expect(r.err).toBe(message);
    expect(r.code).toBe(1);
  });
});
