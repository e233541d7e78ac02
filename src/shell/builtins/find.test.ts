import { mkdir, mkdtemp, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { find } from './find.js';
import { makeTestContext, runBuiltin, runReal } from '../../../test/helpers/file-builtin-ctx.js';
import { sizeTest } from './fs/find-expr.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-find-'));
  await mkdir(join(dir, 'src/lib/deep'), { recursive: true });
  await mkdir(join(dir, 'empty-dir'));
  await writeFile(join(dir, 'README.md'), 'readme\n');
  await writeFile(join(dir, 'src/main.ts'), 'x'.repeat(3000));
  await writeFile(join(dir, 'src/lib/util.ts'), 'y'.repeat(600));
  await writeFile(join(dir, 'src/lib/deep/data.BIN'), Buffer.alloc(2 * 1024 * 1024));
  await writeFile(join(dir, 'src/.hidden'), '');
  await symlink('main.ts', join(dir, 'src/link.ts'));
  await utimes(join(dir, 'README.md'), new Date('2020-01-01'), new Date('2020-01-01'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const sorted = (text: string): string => text.split('\n').sort().join('\n');

describe('find, compared with GNU find', () => {
  it.each([
    [[]], [['.']], [['src']], [['src/']], [['.', '-name', '*.ts']], [['-iname', '*.bin']], [['-type', 'f']], [['-type', 'd']],
    [['-type', 'l']], [['-type', 'f,l']], [['-maxdepth', '1']], [['-mindepth', '2', '-maxdepth', '2']], [['-size', '+1k']],
    [['-size', '-1k', '-type', 'f']], [['-size', '3000c']], [['-size', '+1M']], [['-size', '2M']], [['-empty']],
    [['-newer', 'README.md', '-type', 'f']], [['!', '-name', '*.ts', '-type', 'f']], [['-name', '*.md', '-o', '-name', '*.BIN']],
    [['(', '-name', 'lib', '-o', '-name', 'deep', ')', '-print']], [['-path', './src/lib/*']], [['-name', 'lib', '-prune', '-o', '-type', 'f', '-print']],
    [['-mtime', '+30']], [['src', 'empty-dir', '-type', 'd']], [['-L', 'src', '-type', 'f']], [['-depth', '-type', 'd']],
    [['-name', 'src']], [['-not', '-name', '*.ts', '-a', '-type', 'f']], [['-perm', '644']], [['-perm', '-u+rw', '-type', 'f']],
    [['-perm', '/o+x']], [['-perm', '-4000']], [['-user', 'root', '-name', '*.ts']], [['-group', '0', '-type', 'd']], [['-user', '4242']],
  ])('find %j', async (args) => {
    const ours = await runBuiltin(find, args, { cwd: dir });
    const real = runReal('find', args, { cwd: dir });
    // GNU find lists a directory in readdir order; ours sorts names.
    expect(sorted(ours.out)).toBe(sorted(real.out));
    expect(ours.code).toBe(real.code);
  });
  it.each([
    [['-name', 'lib', '-print', '-quit']], [['src', 'src', '-name', 'main.ts', '-print', '-quit']], [['-type', 'd', '-print0', '-quit']],
    [['nope', 'src/lib', '-type', 'f']], [['src/lib', 'nope', 'README.md']], [['-mindepth', '1', '-name', 'deep', '-prune', '-o', '-print']],
  ])('find %j (quit, prune, a missing root among others)', async (args) => {
    const ours = await runBuiltin(find, args, { cwd: dir });
    const real = runReal('find', args, { cwd: dir });
    expect(sorted(ours.out)).toBe(sorted(real.out));
    expect(ours.err).toBe(real.err);
    expect(ours.code).toBe(real.code);
  });
  it('prints a parent before its contents (and after with -depth)', async () => {
    const lines = (await runBuiltin(find, ['src'], { cwd: dir })).out.split('\n');
    expect(lines.indexOf('src')).toBeLessThan(lines.indexOf('src/lib'));
    expect(lines.indexOf('src/lib')).toBeLessThan(lines.indexOf('src/lib/util.ts'));
    const depth = (await runBuiltin(find, ['src', '-depth'], { cwd: dir })).out.split('\n');
    expect(depth.indexOf('src')).toBeGreaterThan(depth.indexOf('src/lib'));
  });
  it('-print0 separates with NUL', async () => {
    expect((await runBuiltin(find, ['src/lib', '-type', 'f', '-print0'], { cwd: dir })).out).toBe('src/lib/deep/data.BIN\0src/lib/util.ts\0');
  });
  it('-delete removes what it selects', async () => {
    await mkdir(join(dir, 'junk/a'), { recursive: true });
    await writeFile(join(dir, 'junk/a/x.log'), '');
    await writeFile(join(dir, 'junk/keep'), '');
    const r = await runBuiltin(find, ['junk', '-name', '*.log', '-delete'], { cwd: dir });
    expect([r.out, r.code]).toEqual(['', 0]);
    await expect(stat(join(dir, 'junk/a/x.log'))).rejects.toThrow();
    await stat(join(dir, 'junk/keep'));
    await rm(join(dir, 'junk'), { recursive: true });
  });
  it.each([
    [['nope'], "find: 'nope': No such file or directory\n"],
    [['-foo'], "find: unknown predicate '-foo'\n"],
    [['-name'], "find: missing argument to '-name'\n"],
    [['-type', 'x'], 'find: Unknown argument to -type: x\n'],
    [['-newer', 'nope'], "find: 'nope': No such file or directory\n"],
    [['-perm', 'bogus'], "find: invalid mode 'bogus'\n"],
    [['-user', 'no-such-user'], "find: 'no-such-user' is not the name of a known user\n"],
  ])('errors: %j', async (args, message) => {
    const r = await runBuiltin(find, args, { cwd: dir });
    expect(r.err).toBe(message);
    expect(r.code).toBe(1);
  });
  it('says -exec is not built in', async () => {
    const r = await runBuiltin(find, ['-exec', 'ls', ';'], { cwd: dir });
    expect(r.err).toMatch(/^find: -exec is not supported by the built-in find; use the toolbox's busybox find/);
    expect(r.code).toBe(1);
  });
  it('streams: stops with 141 when the reader goes away, 130 on abort', async () => {
    const stdout = new PassThrough();
    stdout.once('data', () => stdout.destroy());
    const t = makeTestContext({ cwd: '/usr', stdout });
    expect(await find.run(['/usr'], t.ctx)).toBe(141);
    const ac = new AbortController();
    const sink = new PassThrough();
    sink.resume();
    const t2 = makeTestContext({ cwd: '/', stdout: sink, signal: ac.signal });
    setTimeout(() => ac.abort(), 30);
    expect(await find.run(['/usr'], t2.ctx)).toBe(130);
  });
});

describe('find -size rounding (GNU)', () => {
  it.each([
    ['-1M', 0, true], ['-1M', 1, false], ['1M', 1, true], ['+0', 1, true], ['+0', 0, false], ['2k', 1025, true], ['10c', 10, true],
  ])('%s with %d bytes → %s', (text, bytes, expected) => {
    expect(sizeTest(text)(bytes)).toBe(expected);
  });
});
