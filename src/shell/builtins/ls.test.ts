import { chmod, lutimes, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ls } from './ls.js';
import { layoutColumns } from './fs/columns.js';
import { humanSize } from './fs/format.js';
import { runBuiltin, runReal } from '../../../test/helpers/file-builtin-ctx.js';

let parent: string;
let dir: string;
beforeAll(async () => {
  // A parent of its own: `ls -a` lists `..`, whose link count and mtime change whenever
  // another test file adds or removes a directory beside it (a flaky -la comparison).
  parent = await mkdtemp(join(tmpdir(), 'bg-ls-'));
  dir = join(parent, 'tree');
  await mkdir(dir);
  await writeFile(join(dir, 'small'), 'hi\n');
  await writeFile(join(dir, 'big'), Buffer.alloc(150_000));
  await writeFile(join(dir, '.hidden'), '');
  await writeFile(join(dir, 'run.sh'), '#!/bin/sh\n');
  await chmod(join(dir, 'run.sh'), 0o755);
  await mkdir(join(dir, 'sub/deeper'), { recursive: true });
  await writeFile(join(dir, 'sub/inner'), 'x');
  await symlink('small', join(dir, 'link'));
  await symlink('nowhere', join(dir, 'dangling'));
  await writeFile(join(dir, 'old'), 'old');
  await utimes(join(dir, 'old'), new Date('2020-01-02T03:04:05Z'), new Date('2020-01-02T03:04:05Z'));
  // Distinct whole-second mtimes: busybox sorts -t by seconds, GNU by nanoseconds.
  const names = ['big', 'small', '.hidden', 'run.sh', 'sub', 'link', 'dangling'];
  for (const [i, name] of names.entries()) {
    const t = new Date(Math.floor(Date.now() / 1000) * 1000 - (i + 1) * 60_000);
    await lutimes(join(dir, name), t, t);
  }
  await utimes(join(dir, '.'), new Date(), new Date());
});
afterAll(() => rm(parent, { recursive: true, force: true }));

describe('ls, compared with busybox ls', () => {
  it.each([
    [[]], [['-1']], [['-a']], [['-A']], [['-l']], [['-la']], [['-lh']], [['-ln']], [['-lS']], [['-lt']], [['-lr']],
    [['-R']], [['-lR', 'sub']], [['-d', 'sub']], [['-ld', 'sub', 'small']], [['small', 'sub', 'old']], [['-l', 'link', 'dangling']],
    [['-F']], [['-l', '/dev/null']],
  ])('ls %j', async (args) => {
    const ours = await runBuiltin(ls, args, { cwd: dir });
    const real = runReal('busybox', ['ls', ...args], { cwd: dir });
    // busybox pads `total 164K` with spaces under -h; nothing else differs.
    expect(ours.out).toBe(real.out.replace(/^(total \S+) +$/m, '$1'));
    expect(ours.code).toBe(real.code);
  });
  it('reports a missing operand and lists the rest (exit 2, like GNU)', async () => {
    const r = await runBuiltin(ls, ['nope', 'small'], { cwd: dir });
    expect(r.err).toBe("ls: cannot access 'nope': No such file or directory\n");
    expect(r.out).toBe('small\n');
    expect(r.code).toBe(2);
  });
  it('rejects a bad option with exit 2', async () => {
    const r = await runBuiltin(ls, ['-Z'], { cwd: dir });
    expect(r.err).toBe("ls: invalid option -- 'Z'\nTry 'ls --help' for more information.\n");
    expect(r.code).toBe(2);
  });
  it('lays out columns and colours only on a terminal', async () => {
    const tty = await runBuiltin(ls, [], { cwd: dir, isTTY: true, cols: 40 });
    expect(tty.out).toBe(
      'big       \x1b[01;36mlink\x1b[0m  \x1b[01;32mrun.sh\x1b[0m  \x1b[01;34msub\x1b[0m\n' +
        '\x1b[40;31;01mdangling\x1b[0m  old   small\n',
    );
    // Without colours the same layout is plain text, names down the columns.
    const plain = await runBuiltin(ls, ['--color=never'], { cwd: dir, isTTY: true, cols: 40 });
    expect(plain.out).toBe('big       link  run.sh  sub\ndangling  old   small\n');
    const piped = await runBuiltin(ls, [], { cwd: dir, isTTY: false });
    expect(piped.out).not.toContain('\x1b');
    expect(piped.out.split('\n')).toContain('run.sh');
    expect(tty.out).toContain('\x1b[01;34msub\x1b[0m');
    expect(tty.out).toContain('\x1b[01;32mrun.sh\x1b[0m');
  });
  it('aligns columns by display width (wide characters take two)', async () => {
    const wide = join(dir, 'wide');
    await mkdir(wide);
    for (const name of ['日本語', 'a', 'b']) await writeFile(join(wide, name), '');
    // Three columns would need 1+2+1+2+6 = 12 cells: too wide for 11.
    const r = await runBuiltin(ls, ['-C', '--color=never'], { cwd: wide, cols: 11 });
    expect(r.out).toBe('a  日本語\nb\n');
  });
  it('shows numeric ids when /etc/passwd has no entry', async () => {
    const r = await runBuiltin(ls, ['-l', 'small'], { cwd: dir });
    // root exists here; the numeric fallback is covered by -n and by longLine's unit.
    expect(r.out).toMatch(/^-rw-r--r-- {4}1 root {5}root {13}3 \w{3} [ \d]\d \d\d:\d\d small\n$/);
  });
});

describe('layoutColumns', () => {
  it('fills columns top to bottom and fits the width', () => {
    const cells = ['a', 'bb', 'ccc', 'dddd', 'e'].map((t) => ({ text: t, width: t.length }));
    expect(layoutColumns(cells, 80)).toEqual(['a  bb  ccc  dddd  e']);
    expect(layoutColumns(cells, 12)).toEqual(['a   ccc   e', 'bb  dddd']);
    expect(layoutColumns(cells, 10)).toEqual(['a    dddd', 'bb   e', 'ccc']);
    expect(layoutColumns(cells, 3)).toEqual(['a', 'bb', 'ccc', 'dddd', 'e']);
  });
});

describe('humanSize (busybox rounding)', () => {
  it.each([
    [0, '0'], [1023, '1023'], [1024, '1.0K'], [1025, '1.0K'], [10199, '10.0K'], [102400, '100.0K'],
    [1048575, '1024.0K'], [1048576, '1.0M'], [5_000_000, '4.8M'], [1024 ** 3, '1.0G'],
  ])('%d → %s', (bytes, text) => {
    expect(humanSize(bytes)).toBe(text);
  });
});
