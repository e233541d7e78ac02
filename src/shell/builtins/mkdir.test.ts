import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mkdir } from './mkdir.js';
import { runBuiltin } from '../../../test/helpers/file-builtin-ctx.js';

let dir: string;
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('mkdir -p', () => {
  it('makes the parents and accepts an existing directory', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mkdir-'));
    const first = await runBuiltin(mkdir, ['-p', 'a/b/c'], { cwd: dir });
    expect([first.code, first.err]).toEqual([0, '']);
    expect((await stat(join(dir, 'a/b/c'))).isDirectory()).toBe(true);
    const again = await runBuiltin(mkdir, ['-p', 'a/b/c'], { cwd: dir });
    expect([again.code, again.err]).toEqual([0, '']);
  });

  it('fails under /proc/PID, where fs.mkdir recursive would spin forever', async () => {
    const r = await runBuiltin(mkdir, ['-p', '/proc/self/no/such'], { cwd: '/' });
    expect(r.err).toBe("mkdir: cannot create directory '/proc/self/no/such': No such file or directory\n");
    expect(r.code).toBe(1);
  });

  it('says Not a directory where a component is a file', async () => {
    const r = await runBuiltin(mkdir, ['-p', '/etc/hostname/x'], { cwd: '/' });
    expect(r.err).toBe("mkdir: cannot create directory '/etc/hostname/x': Not a directory\n");
  });
});
