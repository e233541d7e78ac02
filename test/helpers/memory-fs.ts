// An in-memory FileSystem (src/shell/files) for tests: a tree of directories, files and
// symbolic links with fixed owners and times, so a built-in's output is exact. Errors
// carry the errno code, number and message Node gives (`ENOENT: no such file or
// directory, stat '/x'`), so error lines read as on a real disk. Test-only.
import { constants } from 'node:fs';
import type { BigIntStats, Dirent, Stats, StatsFs } from 'node:fs';
import { posix } from 'node:path';
import type { FileSystem, OpenFile, OpenFlags, Time } from '../../src/shell/files/index.js';

/** A tree spec: path → file text, `{ dir }`, `{ symlink }` or `{ data, mode }`. */
export type TreeSpec = Record<string, string | { dir: true; mode?: number } | { symlink: string } | { data: string | Buffer; mode?: number }>;

/** 2024-01-02 03:04:05 UTC: every node's times, unless changed. */
export const MEMORY_TIME_MS = Date.UTC(2024, 0, 2, 3, 4, 5);

interface Meta {
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
}
interface FileNode extends Meta {
  type: 'file';
  data: Buffer;
}
interface DirNode extends Meta {
  type: 'dir';
  entries: Map<string, Node>;
}
interface LinkNode extends Meta {
  type: 'symlink';
  target: string;
}
type Node = FileNode | DirNode | LinkNode;

const ERRNO: Record<string, [number, string]> = {
  ENOENT: [-2, 'no such file or directory'],
  EEXIST: [-17, 'file already exists'],
  ENOTDIR: [-20, 'not a directory'],
  EISDIR: [-21, 'illegal operation on a directory'],
  EINVAL: [-22, 'invalid argument'],
  ENOTEMPTY: [-39, 'directory not empty'],
  ELOOP: [-40, 'too many symbolic links encountered'],
  EACCES: [-13, 'permission denied'],
  EPERM: [-1, 'operation not permitted'],
  EBADF: [-9, 'bad file descriptor'],
};

function fsError(code: string, syscall: string, path: string, dest?: string): NodeJS.ErrnoException {
  const [errno, text] = ERRNO[code]!;
  const err = new Error(`${code}: ${text}, ${syscall} '${path}'${dest ? ` -> '${dest}'` : ''}`) as NodeJS.ErrnoException;
  err.code = code;
  err.errno = errno;
  err.syscall = syscall;
  err.path = path;
  if (dest) (err as { dest?: string }).dest = dest;
  return err;
}

const TYPE_BITS = { file: constants.S_IFREG, dir: constants.S_IFDIR, symlink: constants.S_IFLNK };

function statsOf(n: Node): Stats {
  const size = n.type === 'file' ? n.data.length : n.type === 'symlink' ? Buffer.byteLength(n.target) : 4096;
  const is = (type: Node['type']) => () => n.type === type;
  return {
    dev: 42,
    ino: n.ino,
    mode: n.mode,
    nlink: n.nlink,
    uid: n.uid,
    gid: n.gid,
    rdev: 0,
    size,
    blksize: 4096,
    blocks: Math.ceil(size / 4096) * 8,
    atimeMs: n.atimeMs,
    mtimeMs: n.mtimeMs,
    ctimeMs: n.ctimeMs,
    birthtimeMs: n.ctimeMs,
    atime: new Date(n.atimeMs),
    mtime: new Date(n.mtimeMs),
    ctime: new Date(n.ctimeMs),
    birthtime: new Date(n.ctimeMs),
    isFile: is('file'),
    isDirectory: is('dir'),
    isSymbolicLink: is('symlink'),
    isBlockDevice: () => false,
    isCharacterDevice: () => false,
    isFIFO: () => false,
    isSocket: () => false,
  };
}

function bigStatsOf(n: Node): BigIntStats {
  const s = statsOf(n);
  const big = (ms: number): bigint => BigInt(Math.round(ms)) * 1_000_000n;
  return {
    ...s,
    dev: BigInt(s.dev),
    ino: BigInt(s.ino),
    mode: BigInt(s.mode),
    nlink: BigInt(s.nlink),
    uid: BigInt(s.uid),
    gid: BigInt(s.gid),
    rdev: BigInt(s.rdev),
    size: BigInt(s.size),
    blksize: BigInt(s.blksize),
    blocks: BigInt(s.blocks),
    atimeMs: BigInt(Math.round(s.atimeMs)),
    mtimeMs: BigInt(Math.round(s.mtimeMs)),
    ctimeMs: BigInt(Math.round(s.ctimeMs)),
    birthtimeMs: BigInt(Math.round(s.birthtimeMs)),
    atimeNs: big(s.atimeMs),
    mtimeNs: big(s.mtimeMs),
    ctimeNs: big(s.ctimeMs),
    birthtimeNs: big(s.birthtimeMs),
  };
}

function timeMs(t: Time): number {
  return typeof t === 'number' ? t * 1000 : t.getTime();
}

interface Found {
  node: Node | undefined;
  parent: DirNode;
  name: string;
  /** The resolved path of `node` (or of where it would be). */
  path: string;
}

/** An in-memory file system; `tree` paths are absolute (`/w/a.txt`), parents made as needed. */
export class MemoryFileSystem implements FileSystem {
  private nextIno = 2;
  readonly root: DirNode = this.makeDir(0o755);
  /** Every call, as `syscall path`, for tests that check what was touched. */
  readonly calls: string[] = [];

  constructor(tree: TreeSpec = {}) {
    for (const [path, spec] of Object.entries(tree)) this.add(path, spec);
  }

  add(path: string, spec: TreeSpec[string]): void {
    const parent = this.ensureDir(posix.dirname(posix.resolve(path)));
    const name = posix.basename(path);
    let node: Node;
    if (typeof spec === 'string') node = this.makeFile(Buffer.from(spec), 0o644);
    else if ('dir' in spec) node = this.ensureDir(posix.resolve(path), spec.mode);
    else if ('symlink' in spec) node = this.makeNode({ type: 'symlink', target: spec.symlink }, 0o777);
    else node = this.makeFile(Buffer.from(spec.data), spec.mode ?? 0o644);
    if (node !== parent.entries.get(name)) this.attach(parent, name, node);
  }

  // ---- FileSystem --------------------------------------------------------------------

  stat(path: string, options?: { bigint?: false }): Promise<Stats>;
  stat(path: string, options: { bigint: true }): Promise<BigIntStats>;
  async stat(path: string, options?: { bigint?: boolean }): Promise<Stats | BigIntStats> {
    const n = this.existing(path, true, 'stat');
    return options?.bigint ? bigStatsOf(n) : statsOf(n);
  }

  lstat(path: string, options?: { bigint?: false }): Promise<Stats>;
  lstat(path: string, options: { bigint: true }): Promise<BigIntStats>;
  async lstat(path: string, options?: { bigint?: boolean }): Promise<Stats | BigIntStats> {
    const n = this.existing(path, false, 'lstat');
    return options?.bigint ? bigStatsOf(n) : statsOf(n);
  }

  readdir(path: string): Promise<string[]>;
  readdir(path: string, options: { withFileTypes: true }): Promise<Dirent[]>;
  async readdir(path: string, options?: { withFileTypes: true }): Promise<string[] | Dirent[]> {
    const dir = this.existing(path, true, 'scandir');
    if (dir.type !== 'dir') throw fsError('ENOTDIR', 'scandir', path);
    const names = [...dir.entries.keys()];
    if (!options?.withFileTypes) return names;
    return names.map((name) => {
      const s = statsOf(dir.entries.get(name)!);
      return { name, parentPath: path, path, ...s } as unknown as Dirent;
    });
  }

  async readlink(path: string): Promise<string> {
    const n = this.existing(path, false, 'readlink');
    if (n.type !== 'symlink') throw fsError('EINVAL', 'readlink', path);
    return n.target;
  }

  async realpath(path: string): Promise<string> {
    const found = this.find(path, true, 'realpath');
    if (!found.node) throw fsError('ENOENT', 'realpath', path);
    return found.path;
  }

  async access(path: string, mode: number = constants.F_OK): Promise<void> {
    const n = this.existing(path, true, 'access');
    if (mode & constants.X_OK && !(n.mode & 0o111)) throw fsError('EACCES', 'access', path);
  }

  async open(path: string, flags: OpenFlags, mode = 0o666): Promise<OpenFile> {
    const found = this.find(path, true, 'open');
    let node = found.node;
    if (node && flags === 'wx') throw fsError('EEXIST', 'open', path);
    if (!node) {
      if (flags === 'r' || flags === 'r+') throw fsError('ENOENT', 'open', path);
      node = this.makeFile(Buffer.alloc(0), mode & 0o777 & ~0o022);
      this.attach(found.parent, found.name, node);
    }
    if (node.type === 'dir' && flags !== 'r') throw fsError('EISDIR', 'open', path);
    if (node.type === 'file' && flags.startsWith('w')) node.data = Buffer.alloc(0);
    return this.handle(node, flags, path);
  }

  async readFile(path: string, encoding: 'utf8'): Promise<string> {
    const n = this.existing(path, true, 'open');
    if (n.type === 'dir') throw fsError('EISDIR', 'read', path);
    return (n as FileNode).data.toString(encoding);
  }

  async writeFile(path: string, data: string | Uint8Array, options?: { mode?: number }): Promise<void> {
    const file = await this.open(path, 'w', options?.mode);
    const buffer = Buffer.from(data);
    await file.write(buffer, 0, buffer.length, null);
    await file.close();
  }

  async mkdir(path: string, options?: { recursive?: boolean; mode?: number }): Promise<void> {
    const found = this.find(path, true, 'mkdir', options?.recursive);
    if (found.node) {
      if (options?.recursive && found.node.type === 'dir') return;
      throw fsError('EEXIST', 'mkdir', path);
    }
    if (options?.recursive) {
      this.ensureDir(found.path, options.mode);
      return;
    }
    this.attach(found.parent, found.name, this.makeDir((options?.mode ?? 0o777) & ~0o022));
  }

  async rmdir(path: string): Promise<void> {
    const found = this.find(path, false, 'rmdir');
    const n = found.node;
    if (!n) throw fsError('ENOENT', 'rmdir', path);
    if (n.type !== 'dir') throw fsError('ENOTDIR', 'rmdir', path);
    if (n.entries.size > 0) throw fsError('ENOTEMPTY', 'rmdir', path);
    this.unlinkEntry(found);
  }

  async unlink(path: string): Promise<void> {
    const found = this.find(path, false, 'unlink');
    if (!found.node) throw fsError('ENOENT', 'unlink', path);
    if (found.node.type === 'dir') throw fsError('EISDIR', 'unlink', path);
    this.unlinkEntry(found);
  }

  async rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void> {
    const found = this.find(path, false, 'rm');
    if (!found.node) {
      if (options?.force) return;
      throw fsError('ENOENT', 'rm', path);
    }
    if (found.node.type === 'dir' && !options?.recursive) throw fsError('EISDIR', 'rm', path);
    this.unlinkEntry(found);
  }

  async rename(from: string, to: string): Promise<void> {
    const source = this.find(from, false, 'rename');
    if (!source.node) throw fsError('ENOENT', 'rename', from, to);
    const dest = this.find(to, false, 'rename');
    if (dest.node?.type === 'dir') {
      if (source.node.type !== 'dir') throw fsError('EISDIR', 'rename', from, to);
      if (dest.node.entries.size > 0) throw fsError('ENOTEMPTY', 'rename', from, to);
    } else if (dest.node && source.node.type === 'dir') throw fsError('ENOTDIR', 'rename', from, to);
    source.parent.entries.delete(source.name);
    dest.parent.entries.set(dest.name, source.node);
  }

  async copyFile(from: string, to: string): Promise<void> {
    const n = this.existing(from, true, 'copyfile');
    if (n.type !== 'file') throw fsError('EISDIR', 'copyfile', from, to);
    const out = await this.open(to, 'w');
    await out.write(n.data, 0, n.data.length, null);
    await out.close();
  }

  async chmod(path: string, mode: number): Promise<void> {
    const n = this.existing(path, true, 'chmod');
    n.mode = (n.mode & ~0o7777) | (mode & 0o7777);
  }

  async chown(path: string, uid: number, gid: number): Promise<void> {
    Object.assign(this.existing(path, true, 'chown'), { uid, gid });
  }

  async lchown(path: string, uid: number, gid: number): Promise<void> {
    Object.assign(this.existing(path, false, 'lchown'), { uid, gid });
  }

  async utimes(path: string, atime: Time, mtime: Time): Promise<void> {
    Object.assign(this.existing(path, true, 'utime'), { atimeMs: timeMs(atime), mtimeMs: timeMs(mtime) });
  }

  async lutimes(path: string, atime: Time, mtime: Time): Promise<void> {
    Object.assign(this.existing(path, false, 'lutime'), { atimeMs: timeMs(atime), mtimeMs: timeMs(mtime) });
  }

  async symlink(target: string, path: string): Promise<void> {
    const found = this.find(path, false, 'symlink');
    if (found.node) throw fsError('EEXIST', 'symlink', target, path);
    this.attach(found.parent, found.name, this.makeNode({ type: 'symlink', target }, 0o777));
  }

  async link(existing: string, path: string): Promise<void> {
    const n = this.existing(existing, false, 'link');
    if (n.type === 'dir') throw fsError('EPERM', 'link', existing, path);
    const found = this.find(path, false, 'link');
    if (found.node) throw fsError('EEXIST', 'link', existing, path);
    this.attach(found.parent, found.name, n);
  }

  async statfs(path: string): Promise<StatsFs> {
    this.existing(path, true, 'statfs');
    return { type: 0x01021994, bsize: 4096, blocks: 1024, bfree: 512, bavail: 512, files: 1000, ffree: 900 };
  }

  // ---- the tree ----------------------------------------------------------------------

  private makeNode<T extends { type: Node['type'] }>(props: T, perm: number): T & Meta {
    return {
      ...props,
      ino: this.nextIno++,
      mode: TYPE_BITS[props.type] | perm,
      uid: 0,
      gid: 0,
      nlink: 0,
      atimeMs: MEMORY_TIME_MS,
      mtimeMs: MEMORY_TIME_MS,
      ctimeMs: MEMORY_TIME_MS,
    };
  }

  private makeFile(data: Buffer, perm: number): FileNode {
    return this.makeNode({ type: 'file' as const, data }, perm);
  }

  private makeDir(perm: number): DirNode {
    const dir = this.makeNode({ type: 'dir' as const, entries: new Map<string, Node>() }, perm);
    dir.nlink = 2;
    return dir;
  }

  private attach(parent: DirNode, name: string, node: Node): void {
    parent.entries.set(name, node);
    node.nlink++;
    if (node.type === 'dir') parent.nlink++;
    parent.mtimeMs = parent.ctimeMs = Math.max(parent.mtimeMs, MEMORY_TIME_MS);
  }

  private unlinkEntry(found: Found): void {
    found.parent.entries.delete(found.name);
    if (found.node) found.node.nlink--;
    if (found.node?.type === 'dir') found.parent.nlink--;
  }

  private ensureDir(path: string, mode = 0o755): DirNode {
    let dir = this.root;
    for (const part of path.split('/').filter(Boolean)) {
      let next = dir.entries.get(part);
      if (!next) {
        next = this.makeDir(mode);
        this.attach(dir, part, next);
      }
      if (next.type !== 'dir') throw fsError('ENOTDIR', 'mkdir', path);
      dir = next;
    }
    return dir;
  }

  private existing(path: string, follow: boolean, syscall: string): Node {
    const found = this.find(path, follow, syscall);
    if (!found.node) throw fsError('ENOENT', syscall, path);
    return found.node;
  }

  /**
   * Resolves a path, following symbolic links on the way (and at the end when `follow`).
   * A missing parent is ENOENT (or, with `lenient`, a not-yet-existing place for mkdir -p).
   */
  private find(path: string, follow: boolean, syscall: string, lenient = false, depth = 0): Found {
    this.calls.push(`${syscall} ${path}`);
    if (depth > 40) throw fsError('ELOOP', syscall, path);
    const parts = posix.resolve('/', path).split('/').filter(Boolean);
    let dir = this.root;
    let resolved = '/';
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i]!;
      const last = i === parts.length - 1;
      const node = dir.entries.get(name);
      if (last && (!node || node.type !== 'symlink' || !follow)) return { node, parent: dir, name, path: posix.join(resolved, name) };
      if (!node) {
        if (lenient) return { node: undefined, parent: dir, name, path: posix.join(resolved, ...parts.slice(i)) };
        throw fsError('ENOENT', syscall, path);
      }
      if (node.type === 'symlink') {
        const rest = parts.slice(i + 1).join('/');
        const target = posix.resolve(resolved, node.target, rest);
        return this.find(target, follow, syscall, lenient, depth + 1);
      }
      if (node.type !== 'dir') throw fsError('ENOTDIR', syscall, path);
      dir = node;
      resolved = posix.join(resolved, name);
    }
    return { node: dir, parent: dir, name: '', path: resolved };
  }

  private handle(node: Node, flags: OpenFlags, path: string): OpenFile {
    let offset = 0;
    let closed = false;
    const check = (syscall: string): void => {
      if (closed) throw fsError('EBADF', syscall, path);
    };
    return {
      fd: undefined,
      read: async (buffer, off, length, position) => {
        check('read');
        if (node.type !== 'file') throw fsError('EISDIR', 'read', path);
        const start = position ?? offset;
        const n = node.data.copy(buffer, off, start, Math.min(start + length, node.data.length));
        if (position === null) offset += n;
        return { bytesRead: n };
      },
      write: async (buffer, off = 0, length = buffer.length - off, position = null) => {
        check('write');
        if (node.type !== 'file') throw fsError('EISDIR', 'write', path);
        const chunk = Buffer.from(buffer.subarray(off, off + length));
        const start = flags.startsWith('a') ? node.data.length : (position ?? offset);
        const before = node.data.subarray(0, start);
        const after = node.data.subarray(start + chunk.length);
        node.data = Buffer.concat([before, Buffer.alloc(Math.max(0, start - before.length)), chunk, after]);
        if (position === null) offset = start + chunk.length;
        return { bytesWritten: chunk.length };
      },
      stat: async () => statsOf(node),
      close: async () => {
        closed = true;
      },
    };
  }
}

/** Wraps a FileSystem so that calls named in `which` wait until `release()` (a stalled NFS). */
export function stallingFileSystem(base: FileSystem, which: ReadonlyArray<keyof FileSystem> = ['stat', 'lstat', 'readdir']): {
  fs: FileSystem;
  /** Resolves once a call is waiting. */
  stalled: Promise<string>;
  release(): void;
} {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let onStall!: (what: string) => void;
  const stalled = new Promise<string>((r) => (onStall = r));
  const fs = new Proxy(base, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => Promise<unknown>;
      if (!which.includes(key as keyof FileSystem)) return fn.bind(target);
      return async (...args: unknown[]) => {
        onStall(`${String(key)} ${String(args[0])}`);
        await gate;
        return fn.apply(target, args);
      };
    },
  });
  return { fs, stalled, release };
}
