// Command lookup on PATH. The default PATH puts the toolbox first so tools uploaded
// during a session are found by shells that are already open.
import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

export const SYSTEM_PATH = ['/user', '/gokrazy', '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export function defaultPath(toolboxDirs: readonly string[]): string {
  return [...toolboxDirs, ...SYSTEM_PATH].join(':');
}

export type Lookup =
  | { kind: 'found'; path: string }
  | { kind: 'error'; code: 126 | 127; message: string };

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds an external program as sh does: names with a slash are paths, others go through PATH. */
export function findProgram(name: string, pathValue: string, cwd: string): Lookup {
  if (name.includes('/')) {
    const full = isAbsolute(name) ? name : resolve(cwd, name);
    try {
      const st = statSync(full);
      if (st.isDirectory()) return { kind: 'error', code: 126, message: `${name}: Is a directory` };
      accessSync(full, constants.X_OK);
      return { kind: 'found', path: full };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'error', code: 127, message: `${name}: not found` };
      return { kind: 'error', code: 126, message: `${name}: Permission denied` };
    }
  }
  for (const dir of pathValue.split(':')) {
    const full = join(dir === '' ? cwd : isAbsolute(dir) ? dir : resolve(cwd, dir), name);
    if (isExecutableFile(full)) return { kind: 'found', path: full };
  }
  return { kind: 'error', code: 127, message: `${name}: not found` };
}
