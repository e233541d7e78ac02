// Applies a command's redirects to its descriptor table, in order, as sh does
// (`>f 2>&1` sends both to f; `2>&1 >f` sends only stdout there).
import { createWriteStream, openSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { RedirectOp } from '../syntax/index.js';

export type Target =
  | { kind: 'stream'; stream: Readable | Writable }
  | { kind: 'fd'; fd: number }
  | { kind: 'null' };

export type FdTable = Map<number, Target>;

export class RedirectError extends Error {
  override name = 'RedirectError';
}

const FLAGS: Partial<Record<RedirectOp, string>> = {
  '<': 'r',
  '>': 'w',
  '>|': 'w',
  '>>': 'a',
  '<>': 'r+',
  '&>': 'w',
  '&>>': 'a',
};

/**
 * Applies one redirect. Opened descriptors are pushed on `opened` so the caller closes
 * them once the command started (externals) or finished (built-ins).
 */
export function applyRedirect(table: FdTable, fd: number, op: RedirectOp, target: string, cwd: string, opened: number[]): void {
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
    return applyRedirect(table, fd, '&>', target, cwd, opened);
  }
  const flags = FLAGS[op]!;
  let opened_fd: number;
  try {
    opened_fd = openSync(resolve(cwd, target), flags, 0o666);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const reason = { ENOENT: 'No such file or directory', EACCES: 'Permission denied', EISDIR: 'Is a directory', ENOTDIR: 'Not a directory', EROFS: 'Read-only file system' }[e.code ?? ''] ?? e.message;
    throw new RedirectError(`can't open '${target}': ${reason}`);
  }
  opened.push(opened_fd);
  const t: Target = { kind: 'fd', fd: opened_fd };
  if (op === '&>' || op === '&>>') {
    table.set(1, t);
    table.set(2, t);
  } else table.set(fd, t);
}

/** Writes a message (e.g. `sh: x: not found`) to wherever a descriptor points. */
export async function writeToTarget(target: Target | undefined, text: string): Promise<void> {
  if (!target || target.kind === 'null') return;
  if (target.kind === 'fd') {
    const s = createWriteStream('', { fd: target.fd, autoClose: false });
    s.end(text);
    await finished(s).catch(() => undefined);
    return;
  }
  const w = target.stream as Writable;
  if (!w.destroyed && !w.writableEnded) await new Promise<void>((r) => w.write(text, () => r()));
}
