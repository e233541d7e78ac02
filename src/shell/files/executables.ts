// Executables on a search path, for PATH lookup (the interpreter) and `which -a`.
import { constants } from 'node:fs';
import { join } from 'node:path';
import type { FileSystem } from './file-system.js';

/** A regular file one may execute (following symbolic links). */
export async function isExecutableFile(fs: FileSystem, path: string): Promise<boolean> {
  try {
    if (!(await fs.stat(path)).isFile()) return false;
    await fs.access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Every executable NAME in the `:`-separated directories, in order (`which -a`). */
export async function allOnPath(fs: FileSystem, name: string, pathValue: string): Promise<string[]> {
  const found: string[] = [];
  for (const dir of pathValue.split(':')) {
    if (!dir) continue;
    const full = join(dir, name);
    if (!found.includes(full) && (await isExecutableFile(fs, full))) found.push(full);
  }
  return found;
}
