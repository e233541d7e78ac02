import { lutimes, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stat } from './stat.js';
import { runBuiltin, runReal } from '../../../test/helpers/file-builtin-ctx.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-stat-'));
  await writeFile(join(dir, 'file'), 'hello\n');
  await writeFile(join(dir, 'empty'), '');
  await mkdir(join(dir, 'sub'));
  await symlink('file', join(dir, 'link'));
  // atime after mtime and after ctime (which lutimes itself sets to the moment of the call,
  // in nanoseconds: an atime of "now" in milliseconds can fall just before it): with
  // relatime, reading them (readlink) then leaves atime alone.
  for (const name of ['file', 'link', 'sub', 'empty']) await lutimes(join(dir, name), new Date(Date.now() + 60_000), new Date(Date.now() - 60_000));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('stat, compared with busybox stat', () => {
  it.each([
    [['file']], [['empty']], [['sub']], [['link']], [['-L', 'link']], [['/dev/null']], [['file', 'sub']], [['-t', 'file']],
    [['-c', '%n %s %a %A %U %G %u %g %F %i %h %b %B %o %y %Y %z %Z %N %d %D %%', 'file', 'link']], [['-c', '%t %T', '/dev/null']],
  ])('stat %j', async (args) => {
    const ours = await runBuiltin(stat, args, { cwd: dir });
    const real = runReal('busybox', ['stat', ...args], { cwd: dir });
    expect(ours.out).toBe(real.out);
    expect(ours.code).toBe(0);
  });
  it('reports a missing file', async () => {
    const r = await runBuiltin(stat, ['nope', 'file'], { cwd: dir });
    expect(r.err).toBe("stat: cannot stat 'nope': No such file or directory\n");
    expect(r.out).toContain('  File: file\n');
    expect(r.code).toBe(1);
  });
  it('needs an operand', async () => {
    const r = await runBuiltin(stat, [], { cwd: dir });
    expect(r.err).toBe("stat: missing operand\nTry 'stat --help' for more information.\n");
    expect(r.code).toBe(1);
  });
});
