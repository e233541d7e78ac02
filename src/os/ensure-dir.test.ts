import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDir } from './ensure-dir.js';

let dir: string;
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('ensureDir', () => {
  it('creates missing parents with the mode, accepts an existing dir', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ensuredir-'));
    await ensureDir(join(dir, 'a/b/c'));
    expect((await stat(join(dir, 'a/b/c'))).mode & 0o777).toBe(0o700);
    await ensureDir(join(dir, 'a/b/c'));
  });

  it('fails (instead of spinning like fs.mkdir recursive) where children cannot exist', async () => {
    await expect(ensureDir('/proc/breakglass-no/such')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fails when a path component is a file', async () => {
    await writeFile(join(dir, 'file'), 'x');
    await expect(ensureDir(join(dir, 'file'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(ensureDir(join(dir, 'file/sub'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});
