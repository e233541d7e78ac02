// Readers of the /proc/net socket tables over an injected root (default /proc). They
// stream: a table is read in 64 KiB chunks and handed on as batches of parsed rows,
// so `netstat -tan` with thousands of sockets starts printing at once and never
// holds the whole table.
import { open, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../os/index.js';
import { parseInetSocketLine, parseUnixSocketLine, socketInodeFromLink } from './net-sockets.js';
import type { InetSocket, InetTable, UnixSocket } from './net-sockets.js';

const CHUNK = 64 * 1024;

/**
 * Yields the complete lines of a file in batches. A missing file (no IPv6 in the
 * kernel, no raw sockets) yields nothing; other errors propagate.
 */
export async function* readLineBatches(path: string): AsyncGenerator<string[]> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return;
    throw err;
  }
  // Double-buffered: the next read runs in libuv's thread pool (the kernel formats
  // the table while it is read) while this thread parses the previous chunk.
  const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  let current = 0;
  let pending: Promise<{ bytesRead: number }> | undefined = handle.read(buffers[0]!, 0, CHUNK, null);
  try {
    let carry = '';
    for (;;) {
      const { bytesRead } = await pending!;
      pending = undefined;
      if (bytesRead === 0) break;
      const buffer = buffers[current]!;
      current ^= 1;
      pending = handle.read(buffers[current]!, 0, CHUNK, null);
      const text = carry + buffer.toString('latin1', 0, bytesRead);
      const lastNewline = text.lastIndexOf('\n');
      if (lastNewline === -1) {
        carry = text;
        continue;
      }
      carry = text.slice(lastNewline + 1);
      yield text.slice(0, lastNewline).split('\n');
    }
    if (carry !== '') yield [carry];
  } finally {
    // A consumer that stops early (`netstat | head -1`) leaves a read in flight.
    await pending?.catch(() => undefined);
    await handle.close();
  }
}

/** Sockets of the given tables, in table order, in batches. */
export async function* readInetSockets(procRoot: string, tables: readonly InetTable[]): AsyncGenerator<InetSocket[]> {
  for (const table of tables) {
    for await (const lines of readLineBatches(join(procRoot, 'net', table))) {
      const batch: InetSocket[] = [];
      for (const line of lines) {
        const socket = parseInetSocketLine(line, table);
        if (socket) batch.push(socket);
      }
      if (batch.length > 0) yield batch;
    }
  }
}

export async function* readUnixSockets(procRoot: string): AsyncGenerator<UnixSocket[]> {
  for await (const lines of readLineBatches(join(procRoot, 'net', 'unix'))) {
    const batch: UnixSocket[] = [];
    for (const line of lines) {
      const socket = parseUnixSocketLine(line);
      if (socket) batch.push(socket);
    }
    if (batch.length > 0) yield batch;
  }
}

export interface SocketOwner {
  pid: number;
  /** /proc/PID/comm (the kernel's 15-character task name). */
  comm: string;
  fd: number;
}

/**
 * Maps socket inodes to the processes holding them by reading every
 * /proc/PID/fd/N link (`socket:[INODE]`), as netstat -p and ss -p do. Processes that
 * vanish or that we may not inspect are skipped.
 */
export async function readSocketOwners(procRoot: string): Promise<Map<number, SocketOwner[]>> {
  const owners = new Map<number, SocketOwner[]>();
  const pids = (await readdir(procRoot)).filter((name) => /^\d+$/.test(name));
  await Promise.all(
    pids.map(async (pidText) => {
      const fdDir = join(procRoot, pidText, 'fd');
      let fds: string[];
      try {
        fds = await readdir(fdDir);
      } catch {
        return; // exited, or not ours to read
      }
      let comm: string | undefined;
      for (const fdText of fds) {
        let link: string;
        try {
          link = await readlink(join(fdDir, fdText));
        } catch {
          continue;
        }
        const inode = socketInodeFromLink(link);
        if (inode === undefined) continue;
        comm ??= await readComm(procRoot, pidText);
        const owner = { pid: Number(pidText), comm, fd: Number(fdText) };
        const list = owners.get(inode);
        if (list) list.push(owner);
        else owners.set(inode, [owner]);
      }
    }),
  );
  for (const list of owners.values()) list.sort((a, b) => a.pid - b.pid || a.fd - b.fd);
  return owners;
}

/** /proc/PID/comm, else the Name: line of /proc/PID/status, else `?`. */
async function readComm(procRoot: string, pid: string): Promise<string> {
  const comm = await readOptional(join(procRoot, pid, 'comm')).catch(() => undefined);
  if (comm !== undefined) return comm.replace(/\n$/, '');
  const status = await readOptional(join(procRoot, pid, 'status')).catch(() => undefined);
  return /^Name:\t(.*)$/m.exec(status ?? '')?.[1] ?? '?';
}

/** Reads a small text file, or undefined when it does not exist. */
export async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}
