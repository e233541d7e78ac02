import { link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { du } from './du.js';
import { runBuiltin, runReal } from '../../../test/helpers/file-builtin-ctx.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-du-'));
  await mkdir(join(dir, 't/a/b'), { recursive: true });
  await mkdir(join(dir, 't/c'));
  await writeFile(join(dir, 't/a/big'), Buffer.alloc(300_000, 1));
  await writeFile(join(dir, 't/a/b/small'), 'x');
  await writeFile(join(dir, 't/c/mid'), Buffer.alloc(20_000, 1));
  // A hard link in the same directory: counted once whichever name comes first.
  await link(join(dir, 't/a/big'), join(dir, 't/a/hard'));
  await symlink('a', join(dir, 't/link'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const sorted = (text: string): string => text.split('\n').sort().join('\n');

describe('du, compared with GNU du', () => {
  it.each([[['-s', 't']], [['t']], [['-a', 't/c']], [['-a', 't/a/b']], [['-d', '1', 't']], [['-c', 't/a', 't/c']], [['-s', 't/a/big']], [['-sm', 't']], [['-sb', 't/c']]])(
    'du %j',
    async (args) => {
      const ours = await runBuiltin(du, args, { cwd: dir });
      const real = runReal('du', args, { cwd: dir });
      expect(sorted(ours.out)).toBe(sorted(real.out));
      expect(ours.code).toBe(0);
    },
  );
  it('-h uses 4.0K-style sizes', async () => {
    expect((await runBuiltin(du, ['-sh', 't/a/b/small'], { cwd: dir })).out).toBe('4.0K\tt/a/b/small\n');
  });
  it('prints a directory after its contents', async () => {
    const lines = (await runBuiltin(du, ['t'], { cwd: dir })).out.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^\d+\tt$/);
  });
  it.each([
    [['nope'], "du: cannot access 'nope': No such file or directory\n", 1],
    [['-d', 'x'], "du: invalid maximum depth 'x'\nTry 'du --help' for more information.\n", 1],
  ])('errors: %j', async (args, message, code) => {
    const r = await runBuiltin(du, args, { cwd: dir });
    expect(r.err).toBe(message);
    expect(r.code).toBe(code);
  });
});
