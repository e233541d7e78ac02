import { lstat, mkdir, mkdtemp, rm, stat, symlink, writeFile, chmod as chmodPath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod } from './chmod.js';
import { runBuiltin, runReal } from '../../../test/helpers/file-builtin-ctx.js';
import { modeString, parseMode } from '../../os/mode.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-chmod-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const modeOf = async (path: string): Promise<string> => ((await stat(path)).mode & 0o7777).toString(8);

describe('chmod, compared with GNU chmod', () => {
  it.each([
    ['777', '=r'], ['777', 'a=r'], ['644', '+x'], ['640', 'g=u'], ['644', 'u+s,g+s,+t'], ['4755', '644'], ['644', 'go-r'],
    ['600', 'a+rX'], ['700', 'o=u-w'], ['644', 'u=rwx,g=rx,o='], ['755', '0'], ['644', 'ug+w,o-r'], ['000', 'u+rw'],
  ])('%s then %s', async (start, mode) => {
    const ours = join(dir, 'ours');
    const theirs = join(dir, 'theirs');
    for (const f of [ours, theirs]) {
      await writeFile(f, '');
      await chmodPath(f, Number.parseInt(start, 8));
    }
    expect((await runBuiltin(chmod, [mode, 'ours'], { cwd: dir })).code).toBe(0);
    runReal('chmod', [mode, 'theirs'], { cwd: dir });
    expect(await modeOf(ours)).toBe(await modeOf(theirs));
  });
  it('accepts -w as a mode, not an option', async () => {
    for (const f of ['w', 'w-real']) {
      await writeFile(join(dir, f), '');
      await chmodPath(join(dir, f), 0o666);
    }
    expect((await runBuiltin(chmod, ['-w', 'w'], { cwd: dir })).code).toBe(0);
    runReal('chmod', ['-w', 'w-real'], { cwd: dir });
    // Without u/g/o the umask shields its bits, as in GNU chmod.
    expect(await modeOf(join(dir, 'w'))).toBe(await modeOf(join(dir, 'w-real')));
    expect(await modeOf(join(dir, 'w'))).not.toBe('666');
  });
  it('keeps a directory setgid bit for a short octal mode (GNU)', async () => {
    await mkdir(join(dir, 'sg'));
    await chmodPath(join(dir, 'sg'), 0o2755);
    await runBuiltin(chmod, ['750', 'sg'], { cwd: dir });
    expect(await modeOf(join(dir, 'sg'))).toBe('2750');
  });
  it('-R changes a tree and leaves symlinks alone', async () => {
    await mkdir(join(dir, 'tree/sub'), { recursive: true });
    await writeFile(join(dir, 'tree/sub/f'), '');
    await writeFile(join(dir, 'outside'), '');
    await chmodPath(join(dir, 'outside'), 0o600);
    await symlink('../../outside', join(dir, 'tree/sub/l'));
    expect((await runBuiltin(chmod, ['-R', 'go+rX', 'tree'], { cwd: dir })).code).toBe(0);
    expect(await modeOf(join(dir, 'tree/sub/f'))).toBe('644');
    expect(await modeOf(join(dir, 'tree/sub'))).toBe('755');
    expect(await modeOf(join(dir, 'outside'))).toBe('600');
    expect((await lstat(join(dir, 'tree/sub/l'))).isSymbolicLink()).toBe(true);
  });
  it.each([
    [['bad', 'x'], "chmod: invalid mode: 'bad'\nTry 'chmod --help' for more information.\n"],
    [['999', 'x'], "chmod: invalid mode: '999'\nTry 'chmod --help' for more information.\n"],
    [['u+x'], "chmod: missing operand after 'u+x'\nTry 'chmod --help' for more information.\n"],
    [['u+x', 'nope'], "chmod: cannot access 'nope': No such file or directory\n"],
  ])('errors: %j', async (args, message) => {
    const r = await runBuiltin(chmod, args, { cwd: dir });
    expect(r.err).toBe(message);
    expect(r.code).toBe(1);
  });
});

describe('modeString', () => {
  it.each([
    [0o100644, '-rw-r--r--'], [0o40755, 'drwxr-xr-x'], [0o120777, 'lrwxrwxrwx'], [0o104755, '-rwsr-xr-x'], [0o102644, '-rw-r-Sr--'],
    [0o41777, 'drwxrwxrwt'], [0o41776, 'drwxrwxrwT'], [0o20666, 'crw-rw-rw-'], [0o10644, 'prw-r--r--'],
  ])('%o → %s', (mode, text) => {
    expect(modeString(mode)).toBe(text);
  });
  it('parseMode rejects nonsense', () => {
    for (const bad of ['', 'u+q', '8', '77777', 'x+r', 'u+r,', ',']) expect(parseMode(bad, 0o22)).toBeUndefined();
  });
});
