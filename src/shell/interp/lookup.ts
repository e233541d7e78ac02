// Command lookup on PATH. The default PATH puts the toolbox first so tools uploaded
// during a session are found by shells that are already open. Every check goes through
// the session's file system (a hung PATH directory delays only that session).
import { constants } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { isExecutableFile } from '../files/index.js';
import type { FileSystem } from '../files/index.js';

export const SYSTEM_PATH = ['/user', '/gokrazy', '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export function defaultPath(toolboxDirs: readonly string[]): string {
  return [...toolboxDirs, ...SYSTEM_PATH].join(':');
}

export type Lookup =
  | { kind: 'found'; path: string }
  | { kind: 'error'; code: 126 | 127; message: string };

/** Finds an external program as sh does: names with a slash are paths, others go through PATH. */
export async function findProgram(fs: FileSystem, name: string, pathValue: string, cwd: string): Promise<Lookup> {
  if (name.includes('/')) {
    const full = isAbsolute(name) ? name : resolve(cwd, name);
    try {
      const st = await fs.stat(full);
      if (st.isDirectory()) return { kind: 'error', code: 126, message: `${name}: Is a directory` };
      await fs.access(full, constants.X_OK);
      return { kind: 'found', path: full };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'error', code: 127, message: `${name}: not found` };
      return { kind: 'error', code: 126, message: `${name}: Permission denied` };
    }
  }
  for (const dir of pathValue.split(':')) {
    const full = join(dir === '' ? cwd : isAbsolute(dir) ? dir : resolve(cwd, dir), name);
    if (await isExecutableFile(fs, full)) return { kind: 'found', path: full };
  }
  return { kind: 'error', code: 127, message: `${name}: not found` };
}
