// mkdir -p that always ends. Node's own recursive mkdir spins forever when a parent
// exists but refuses children with ENOENT (e.g. `--home /proc/x`), so walk up by hand.
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errnoCode } from './errno.js';

export async function ensureDir(path: string, mode = 0o700): Promise<void> {
  try {
    await mkdir(path, { mode });
    return;
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'EEXIST') {
      if ((await stat(path)).isDirectory()) return;
      throw Object.assign(new Error(`${path} exists and is not a directory`), { code: 'ENOTDIR' });
    }
    const parent = dirname(path);
    if (code !== 'ENOENT' || parent === path) throw err;
  }
  await ensureDir(dirname(path), mode);
  await mkdir(path, { mode }); // a second ENOENT is final
}
