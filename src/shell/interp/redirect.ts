// Applies a command's redirects to its descriptor table, in order, as sh does
// (`>f 2>&1` sends both to f; `2>&1 >f` sends only stdout there).
// Files are opened through the session's file system, asynchronously: a redirect from a
// FIFO nobody writes, or to a hung NFS mount, waits in this session only.
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { writeToOpenFile } from '../files/index.js';
import type { FileSystem, OpenFile, OpenFlags } from '../files/index.js';
import type { RedirectOp } from '../syntax/index.js';

export type Target =
  | { kind: 'stream'; stream: Readable | Writable }
  | { kind: 'file'; file: OpenFile }
  | { kind: 'null' };

export type FdTable = Map<number, Target>;

export class RedirectError extends Error {
  override name = 'RedirectError';
}

const FLAGS: Partial<Record<RedirectOp, OpenFlags>> = {
  '<': 'r',
  '>': 'w',
  '>|': 'w',
  '>>': 'a',
  '<>': 'r+',
  '&>': 'w',
  '&>>': 'a',
};

/** What a redirect needs besides its operands: where relative names start, and the file system. */
export interface RedirectScope {
  cwd: string;
  fs: FileSystem;
  /** Files opened so far: the caller closes them once the command finished. */
  opened: OpenFile[];
}

/** Applies one redirect. */
export async function applyRedirect(table: FdTable, fd: number, op: RedirectOp, target: string, scope: RedirectScope): Promise<void> {
  if (op === '>&' || op === '<&') {
    if (target === '-') {
      table.set(fd, { kind: 'null' });
      return;
    }
    if (/^\d+$/.test(target)) {
      const source = table.get(Number(target));
      if (!source) throw new RedirectError(`${target}: Bad file descriptor`);
      table.set(fd, source);
      return;
    }
    // `>& file` is `&> file` (bash); `<& word` is an error.
    if (op === '<&') throw new RedirectError(`${target}: Bad file descriptor`);
    return applyRedirect(table, fd, '&>', target, scope);
  }
  const flags = FLAGS[op]!;
  let file: OpenFile;
  try {
    file = await scope.fs.open(resolve(scope.cwd, target), flags, 0o666);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const reason = { ENOENT: 'No such file or directory', EACCES: 'Permission denied', EISDIR: 'Is a directory', ENOTDIR: 'Not a directory', EROFS: 'Read-only file system' }[e.code ?? ''] ?? e.message;
    throw new RedirectError(`can't open '${target}': ${reason}`);
  }
  scope.opened.push(file);
  const t: Target = { kind: 'file', file };
  if (op === '&>' || op === '&>>') {
    table.set(1, t);
    table.set(2, t);
  } else table.set(fd, t);
}

/** Writes a message (e.g. `sh: x: not found`) to wherever a descriptor points. */
export async function writeToTarget(target: Target | undefined, text: string): Promise<void> {
  if (!target || target.kind === 'null') return;
  if (target.kind === 'file') {
    await writeToOpenFile(target.file, Buffer.from(text)).catch(() => undefined);
    return;
  }
  const w = target.stream as Writable;
  if (!w.destroyed && !w.writableEnded) await new Promise<void>((r) => w.write(text, () => r()));
}

/** Closes what a command's redirects opened (a close on NFS may wait: never synchronously). */
export async function closeOpened(opened: readonly OpenFile[]): Promise<void> {
  await Promise.all(opened.map((f) => f.close().catch(() => undefined)));
}
