// The FileSystem of a real session: node:fs/promises, which runs every call on libuv's
// thread pool, so a slow disk delays only the session that waits for it.
import { promises as fsp } from 'node:fs';
import { ensureDir } from '../../os/index.js';
import type { FileSystem } from './file-system.js';

export const nodeFileSystem: FileSystem = {
  stat: fsp.stat,
  lstat: fsp.lstat,
  readdir: fsp.readdir as FileSystem['readdir'],
  readlink: (path) => fsp.readlink(path),
  realpath: (path) => fsp.realpath(path),
  access: fsp.access,
  open: fsp.open,
  readFile: (path, encoding) => fsp.readFile(path, encoding),
  writeFile: (path, data, options) => fsp.writeFile(path, data, options),
  // Not fs.mkdir's own recursive mode: it spins forever under /proc/PID (see ensureDir).
  mkdir: async (path, options) => {
    if (options?.recursive) await ensureDir(path, options.mode ?? 0o777);
    else await fsp.mkdir(path, options);
  },
  rmdir: (path) => fsp.rmdir(path),
  unlink: fsp.unlink,
  rm: fsp.rm,
  rename: fsp.rename,
  copyFile: (from, to) => fsp.copyFile(from, to),
  chmod: fsp.chmod,
  chown: fsp.chown,
  lchown: fsp.lchown,
  utimes: fsp.utimes,
  lutimes: fsp.lutimes,
  symlink: (target, path) => fsp.symlink(target, path),
  link: fsp.link,
  statfs: (path) => fsp.statfs(path),
};
