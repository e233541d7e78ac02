// The file-system side of scp, kept thin so the protocol drivers can be followed
// without fs details (and tested with another implementation).
import { chmod, lstat, mkdir, open, readdir, stat, utimes } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { errnoCode } from '../../os/index.js';

export interface ScpStat {
  kind: 'file' | 'dir' | 'other';
  mode: number;
  size: number;
  mtime: number;
  atime: number;
}

export interface ScpFs {
  /** null when missing. Follows symlinks, as scp does. */
  stat(path: string): Promise<ScpStat | null>;
  mkdir(path: string, mode: number): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  utimes(path: string, atime: number, mtime: number): Promise<void>;
  readdir(path: string): Promise<string[]>;
  /** Opens for writing (created with `mode` when missing). */
  openWrite(path: string, mode: number): Promise<FileHandle>;
  openRead(path: string): Promise<FileHandle>;
}

function toScpStat(st: import('node:fs').Stats): ScpStat {
  return {
    kind: st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other',
    mode: st.mode & 0o7777,
    size: st.size,
    mtime: st.mtimeMs / 1000,
    atime: st.atimeMs / 1000,
  };
}

export const nodeScpFs: ScpFs = {
  async stat(path) {
    try {
      return toScpStat(await stat(path));
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return null;
      // A dangling symlink: it exists, but is nothing scp can use.
      if (errnoCode(err) === 'ELOOP') return toScpStat(await lstat(path));
      throw err;
    }
  },
  mkdir: (path, mode) => mkdir(path, { mode }).then(() => undefined),
  chmod: (path, mode) => chmod(path, mode),
  utimes: (path, atime, mtime) => utimes(path, atime, mtime),
  readdir: (path) => readdir(path),
  openWrite: (path, mode) => open(path, 'w', mode),
  openRead: (path) => open(path, 'r'),
};
