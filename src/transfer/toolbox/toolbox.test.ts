import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createToolbox } from '../index.js';

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'bg-toolbox-'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('createToolbox basics', () => {
  it('creates a missing dir and puts it (and bin/ when present) on PATH', async () => {
    const dir = join(base, 'a', 'toolbox');
    const toolbox = await createToolbox({ dir, quotaBytes: 1 << 20 });
    expect(toolbox.dir).toBe(dir);
    expect(toolbox.pathDirs()).toEqual([dir]);
    await mkdir(join(dir, 'bin'));
    expect(toolbox.pathDirs()).toEqual([dir, join(dir, 'bin')]);
  });

  it('refuses a path that is a file', async () => {
    await writeFile(join(base, 'f'), 'x');
    await expect(createToolbox({ dir: join(base, 'f'), quotaBytes: 1 })).rejects.toThrow(/not a directory|EEXIST|ENOTDIR/);
  });

  it('refuses a dir whose parent refuses children, instead of hanging (/proc)', async () => {
    // Node's mkdir({ recursive: true }) spins forever here; ensureDir ends with ENOENT.
    await expect(createToolbox({ dir: '/proc/self/no-such/toolbox', quotaBytes: 1 })).rejects.toThrow(/ENOENT/);
  });

  it('lists files and symlinks with sizes, and clear empties it', async () => {
    const dir = join(base, 'tb');
    const events: string[] = [];
    const toolbox = await createToolbox({ dir, quotaBytes: 1 << 20, audit: (e) => events.push(e) });
    await mkdir(join(dir, 'bin'));
    await writeFile(join(dir, 'bin', 'tool'), 'abcd', { mode: 0o755 });
    await writeFile(join(dir, 'readme'), 'hello');
    await symlink('bin/tool', join(dir, 'tool'));
    const listed = await toolbox.list();
    expect(listed.map((e) => [e.path, e.size])).toEqual([
      ['bin/tool', 4],
      ['readme', 5],
      ['tool', 8],
    ]);
    expect(listed[0]!.mode & 0o777).toBe(0o755);
    await toolbox.clear();
    expect(await toolbox.list()).toEqual([]);
    expect(toolbox.pathDirs()).toEqual([dir]);
    expect(events).toContain('toolbox-clear');
  });

  it('reports tmpfs from statfs', async () => {
    const onDisk = await createToolbox({ dir: join(base, 'disk'), quotaBytes: 1 });
    expect(await onDisk.isTmpfs()).toBe(false);
    const shm = await mkdtemp('/dev/shm/bg-toolbox-');
    try {
      const onTmpfs = await createToolbox({ dir: shm, quotaBytes: 1 });
      expect(await onTmpfs.isTmpfs()).toBe(true);
    } finally {
      await rm(shm, { recursive: true, force: true });
    }
  });
});
