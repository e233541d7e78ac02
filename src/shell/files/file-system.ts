// The file system as the shell sees it: every path a session touches (built-ins, the
// interpreter's PATH lookup, redirects, globbing, `cd`, `~user`, completion) goes through
// this injected, asynchronous handler — as mvdan/sh injects OpenHandler and StatHandler.
// One session's stalled NFS stat then waits in that session only: nothing here blocks the
// event loop that every SSH session shares, and a test can hand a built-in a fake tree.
//
// Decision: the /proc and /sys readers (src/proc, and built-ins that read the kernel's
// tables: ps, lsof, sysctl, dmesg, time) keep calling node:fs/promises directly. They read
// the kernel, not a disk, and already take an injected root for tests; they make no
// synchronous calls either (test/house/no-sync-fs.test.ts checks that for src/shell and
// src/proc).
//
// The method names and signatures are those of node:fs/promises, so the Node-backed
// implementation is a table of them and a built-in reads like plain Node code.
import type { BigIntStats, Dirent, Stats, StatsFs } from 'node:fs';

/** An open file: read, written and closed asynchronously. */
export interface OpenFile {
  /**
   * The kernel descriptor when there is one (the Node implementation), so a redirect can
   * hand it to a child process; undefined for a file system without descriptors (a test's
   * in-memory tree): the interpreter then relays the child's bytes through a pipe.
   */
  readonly fd: number | undefined;
  read(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<{ bytesRead: number }>;
  write(buffer: Uint8Array, offset?: number, length?: number, position?: number | null): Promise<{ bytesWritten: number }>;
  stat(): Promise<Stats>;
  close(): Promise<void>;
}

/** Flags as fs.open takes them: `r`, `w`, `a`, `r+`, `wx` … */
export type OpenFlags = 'r' | 'r+' | 'w' | 'wx' | 'w+' | 'a' | 'a+';

export type Time = Date | number;

export interface FileSystem {
  stat(path: string, options?: { bigint?: false }): Promise<Stats>;
  stat(path: string, options: { bigint: true }): Promise<BigIntStats>;
  lstat(path: string, options?: { bigint?: false }): Promise<Stats>;
  lstat(path: string, options: { bigint: true }): Promise<BigIntStats>;
  /** Entry names (unsorted, without `.` and `..`). */
  readdir(path: string): Promise<string[]>;
  readdir(path: string, options: { withFileTypes: true }): Promise<Dirent[]>;
  readlink(path: string): Promise<string>;
  realpath(path: string): Promise<string>;
  /** Rejects unless the file exists and allows `mode` (fs.constants.X_OK …; default F_OK). */
  access(path: string, mode?: number): Promise<void>;
  open(path: string, flags: OpenFlags, mode?: number): Promise<OpenFile>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  writeFile(path: string, data: string | Uint8Array, options?: { mode?: number }): Promise<void>;
  /** `recursive`: parents as needed, an existing directory is fine (mkdir -p). */
  mkdir(path: string, options?: { recursive?: boolean; mode?: number }): Promise<void>;
  rmdir(path: string): Promise<void>;
  unlink(path: string): Promise<void>;
  rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  copyFile(from: string, to: string): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  chown(path: string, uid: number, gid: number): Promise<void>;
  lchown(path: string, uid: number, gid: number): Promise<void>;
  utimes(path: string, atime: Time, mtime: Time): Promise<void>;
  lutimes(path: string, atime: Time, mtime: Time): Promise<void>;
  symlink(target: string, path: string): Promise<void>;
  link(existing: string, path: string): Promise<void>;
  statfs(path: string): Promise<StatsFs>;
}
