// The SFTP v3 file-system backend (draft-ietf-secsh-filexfer-02) over the real file
// system, served on ssh2's SFTP channel object through ssh2-adapter.ts. The initial
// directory (REALPATH ".") is the toolbox dir, so `scp debug.tar dev:` lands there;
// an archive written at its top is extracted when the upload's CLOSE arrives.
import { constants as fsConstants } from 'node:fs';
import type { Stats } from 'node:fs';
import {
  chmod, chown, link, lstat, mkdir, open, readdir, readlink, realpath, rename, rmdir, stat, statfs, symlink, truncate, unlink, utimes,
} from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, posix, resolve } from 'node:path';
import { errnoCode, errnoMessage, loadIdNames } from '../../os/index.js';
import { messageOf } from '../../common/index.js';
import type { IdNames } from '../../os/index.js';
import type { Toolbox } from '../types.js';
import { longname } from './longname.js';
import { SftpWire, isSsh2Sftp } from './ssh2-adapter.js';
import type { NameOut, SftpAttrs } from './ssh2-adapter.js';
import {
  DATA_HEADER, ExtReader, MAX_HANDLES, MAX_PACKET, MAX_READ, MAX_WRITE, OPEN, STATUS, encodeUint64Reply, finishDataPacket, openFlags, statVfsValues, statusForErrno,
} from './wire.js';
import type { StatusCode } from './wire.js';
import { WriteQueue } from './write-queue.js';
import { noteUploadBytes } from '../young-gc.js';

export interface SftpContext {
  toolbox: Toolbox;
  audit?: (event: string, fields: Record<string, unknown>) => void;
}

/**
 * Queued upload bytes above which the SSH window is held; resumed below the low mark.
 * With the 2 MiB SSH window on top, that is at most ~4 MiB of upload in memory: enough to
 * keep tmpfs writes busy (uploads ran as fast at 8 MiB), and buffers that wait less are
 * freed by young-generation collections instead of piling up in old space until a full
 * one (the 1 GiB upload peak in the bench's memory section went from 117 to 108–110 MiB,
 * BENCHMARKS.md analysis 17).
 */
const INPUT_HIGH_WATER = 2 * 1024 * 1024;
const INPUT_LOW_WATER = 1024 * 1024;
/** Reads in flight at once, and responses ssh2 may hold for a full client window. */
const MAX_CONCURRENT_READS = 16;
const OUTBOUND_LIMIT = 8 * 1024 * 1024;
const READDIR_BATCH = 128;

interface OpenFile {
  kind: 'file';
  /** The path the client named. */
  path: string;
  fh: FileHandle;
  writes: WriteQueue;
  wrote: boolean;
  /** An archive upload written to the staging area instead (toolbox.uploadPath). */
  uploadTemp?: string;
  ops: Set<Promise<unknown>>;
  /** Settles when the last READ reply so far has been sent (replies keep order). */
  replyTail: Promise<void>;
}

interface OpenDir {
  kind: 'dir';
  path: string;
  names: string[];
  pos: number;
  ops: Set<Promise<unknown>>;
}

type OpenHandle = OpenFile | OpenDir;

/** A failure we answer with a chosen status code and message. */
class SftpStatusError extends Error {
  constructor(
    readonly code: StatusCode,
    message: string,
  ) {
    super(message);
  }
}

function toAttrs(st: Stats): SftpAttrs {
  return {
    mode: st.mode,
    uid: st.uid,
    gid: st.gid,
    size: st.size,
    atime: Math.floor(st.atimeMs / 1000),
    mtime: Math.floor(st.mtimeMs / 1000),
  };
}

export function serveSftp(raw: unknown, ctx: SftpContext): Promise<void> {
  if (!isSsh2Sftp(raw)) return Promise.reject(new TypeError('serveSftp: not an ssh2 SFTP server stream'));
  return new SftpServer(raw, ctx).done;
}

class SftpServer {
  readonly done: Promise<void>;
  private readonly wire: SftpWire;
  private readonly root: string;
  private readonly handles = new Map<number, OpenHandle>();
  private nextHandle = 1;
  private readonly inflight = new Set<Promise<unknown>>();
  private queuedWriteBytes = 0;
  private activeReads = 0;
  private readonly readWaiters: Array<() => void> = [];
  private ids: Promise<IdNames> | undefined;
  private closed = false;
  private finish!: () => void;

  constructor(
    raw: Parameters<typeof isSsh2Sftp>[0] & object,
    private readonly ctx: SftpContext,
  ) {
    this.root = ctx.toolbox.dir;
    this.done = new Promise((resolveDone) => (this.finish = resolveDone));
    this.wire = new SftpWire(raw as never, {
      acceptMore: () => this.queuedWriteBytes < INPUT_HIGH_WATER,
    });
    const sftp = this.wire.raw;
    const handlers: Record<string, (reqid: number, ...args: never[]) => Promise<void>> = {
      OPEN: this.onOpen,
      READ: this.onRead,
      WRITE: this.onWrite,
      CLOSE: this.onClose,
      FSTAT: this.onFstat,
      FSETSTAT: this.onFsetstat,
      OPENDIR: this.onOpendir,
      READDIR: this.onReaddir,
      LSTAT: (reqid: number, path: string) => this.onStat(reqid, path, false),
      STAT: (reqid: number, path: string) => this.onStat(reqid, path, true),
      SETSTAT: this.onSetstat,
      REMOVE: this.onRemove,
      MKDIR: this.onMkdir,
      RMDIR: this.onRmdir,
      REALPATH: this.onRealpath,
      READLINK: this.onReadlink,
      SYMLINK: this.onSymlink,
      RENAME: this.onRename,
      EXTENDED: this.onExtended,
    };
    for (const [event, handler] of Object.entries(handlers)) {
      sftp.on(event, (reqid: number, ...args: unknown[]) => this.dispatch(reqid, () => (handler as (r: number, ...a: unknown[]) => Promise<void>).call(this, reqid, ...args)));
    }
    sftp.on('end', () => void this.shutdown(true));
    sftp.on('close', () => void this.shutdown(false));
    // ssh2 closes the channel after a protocol error (a malformed packet); say which.
    sftp.on('error', (err: unknown) => {
      this.ctx.audit?.('sftp-error', { message: messageOf(err) });
      void this.shutdown(false);
    });
  }

  /** Runs one request; any error becomes a STATUS reply. */
  private dispatch(reqid: number, run: () => Promise<void>): void {
    // A handler that throws before its first await (WRITE on an unknown handle) must
    // answer STATUS too: thrown out of ssh2's emit, it would drop the whole connection.
    let started: Promise<void>;
    try {
      started = run();
    } catch (err) {
      started = Promise.reject(err);
    }
    const task = started.catch((err: unknown) => this.replyError(reqid, err));
    this.inflight.add(task);
    void task.finally(() => this.inflight.delete(task));
  }

  private replyError(reqid: number, err: unknown): void {
    if (!this.wire.isOpen()) return;
    if (err instanceof SftpStatusError) return this.wire.raw.status(reqid, err.code, err.message);
    const code = errnoCode(err);
    this.wire.raw.status(reqid, statusForErrno(code), code ? errnoMessage(err) : messageOf(err));
  }

  private ok(reqid: number): void {
    if (this.wire.isOpen()) this.wire.raw.status(reqid, STATUS.OK);
  }

  /** Client paths: relative ones are relative to the toolbox dir (the initial dir). */
  private resolvePath(path: string): string {
    if (path === '') return this.root;
    return isAbsolute(path) ? posix.normalize(path) : resolve(this.root, path);
  }

  private handleId(handle: Buffer): number {
    return handle.length === 4 ? handle.readUInt32BE(0) : -1;
  }

  private file(handle: Buffer): OpenFile {
    const h = this.handles.get(this.handleId(handle));
    if (h?.kind !== 'file') throw new SftpStatusError(STATUS.FAILURE, 'invalid file handle');
    return h;
  }

  private dir(handle: Buffer): OpenDir {
    const h = this.handles.get(this.handleId(handle));
    if (h?.kind !== 'dir') throw new SftpStatusError(STATUS.FAILURE, 'invalid directory handle');
    return h;
  }

  private addHandle(reqid: number, h: OpenHandle): void {
    const id = this.nextHandle++;
    this.handles.set(id, h);
    const buf = Buffer.alloc(4);
    buf.writeUInt32BE(id);
    this.wire.raw.handle(reqid, buf);
  }

  private checkHandleLimit(): void {
    if (this.handles.size >= MAX_HANDLES) throw new SftpStatusError(STATUS.FAILURE, `too many open handles (limit ${MAX_HANDLES})`);
  }

  /** Runs an operation on a handle so CLOSE can wait for it. */
  private async onHandle<T>(h: OpenHandle, op: () => Promise<T>): Promise<T> {
    const p = op();
    h.ops.add(p);
    try {
      return await p;
    } finally {
      h.ops.delete(p);
    }
  }

  // --- files -------------------------------------------------------------------

  private async onOpen(reqid: number, filename: string, pflags: number, attrs: SftpAttrs): Promise<void> {
    this.checkHandleLimit();
    const path = this.resolvePath(filename);
    const writing = (pflags & OPEN.WRITE) !== 0;
    const uploadTemp = writing ? this.ctx.toolbox.uploadPath(path) : undefined;
    const mode = attrs.mode !== undefined ? attrs.mode & 0o7777 : 0o666;
    const fh = await open(uploadTemp ?? path, openFlags(pflags, fsConstants), mode);
    const append = (pflags & OPEN.APPEND) !== 0;
    const entry: OpenFile = {
      kind: 'file', path, fh, wrote: false, ops: new Set(), replyTail: Promise.resolve(),
      writes: new WriteQueue(fh, append, () => this.onWriteDrained()),
      ...(uploadTemp ? { uploadTemp } : {}),
    };
    if (this.closed) {
      await fh.close();
      if (uploadTemp) await this.ctx.toolbox.discardUpload(uploadTemp);
      return;
    }
    this.addHandle(reqid, entry);
  }

  /**
   * Reads run concurrently, but their replies go out in request order: OpenSSH's
   * client (scp in SFTP mode writes in place) trusts only the contiguous prefix of
   * what arrived and truncates the file there when replies come reordered.
   */
  private async onRead(reqid: number, handle: Buffer, offset: number, length: number): Promise<void> {
    const h = this.file(handle);
    const earlier = h.replyTail;
    let release!: () => void;
    h.replyTail = new Promise<void>((r) => (release = r));
    try {
      let reply: () => void;
      try {
        const { packet, bytesRead } = await this.onHandle(h, () => this.readChunk(h, offset, length));
        reply = (): void => {
          if (bytesRead === 0 && length > 0) this.wire.raw.status(reqid, STATUS.EOF);
          else this.wire.dataPacket(finishDataPacket(packet, reqid, bytesRead));
        };
      } catch (err) {
        reply = (): void => this.replyError(reqid, err);
      }
      await earlier;
      if (this.wire.isOpen()) reply();
    } finally {
      release();
    }
  }

  /** Reads into the reply packet itself, after room for its header (finishDataPacket). */
  private async readChunk(h: OpenFile, offset: number, length: number): Promise<{ packet: Buffer; bytesRead: number }> {
    if (h.writes.queuedBytes > 0) await h.writes.idle();
    await this.readSlot();
    try {
      await this.outboundRoom();
      const wanted = Math.min(length, MAX_READ);
      const packet = Buffer.allocUnsafe(DATA_HEADER + wanted);
      const { bytesRead } = await h.fh.read(packet, DATA_HEADER, wanted, offset);
      return { packet, bytesRead };
    } finally {
      this.releaseRead();
    }
  }

  private onWrite(reqid: number, handle: Buffer, offset: number, data: Buffer): Promise<void> {
    const h = this.file(handle);
    h.wrote = true;
    this.queuedWriteBytes += data.length;
    noteUploadBytes(data.length);
    return this.onHandle(h, () => new Promise<void>((resolveWrite, rejectWrite) => {
      h.writes.push({
        offset,
        data,
        done: (err) => {
          this.queuedWriteBytes -= data.length;
          if (err) return rejectWrite(err);
          this.ok(reqid);
          resolveWrite();
        },
      });
    }));
  }

  private onWriteDrained(): void {
    if (this.queuedWriteBytes < INPUT_LOW_WATER) this.wire.resumeInput();
  }

  private async onClose(reqid: number, handle: Buffer): Promise<void> {
    const id = this.handleId(handle);
    const h = this.handles.get(id);
    if (!h) throw new SftpStatusError(STATUS.FAILURE, 'invalid handle');
    this.handles.delete(id);
    await Promise.allSettled([...h.ops]);
    if (h.kind === 'dir') return this.ok(reqid);
    await h.writes.idle();
    await h.fh.close();
    if (h.wrote) this.ctx.audit?.('sftp-upload', { path: h.path, bytes: h.writes.bytesWritten });
    if (!h.uploadTemp) return this.ok(reqid);
    if (h.writes.failed) {
      await this.ctx.toolbox.discardUpload(h.uploadTemp);
      throw new SftpStatusError(STATUS.FAILURE, 'upload failed; toolbox unchanged');
    }
    try {
      await this.ctx.toolbox.installUpload(h.uploadTemp, basename(h.path));
    } catch (err) {
      // OpenSSH clients print only "Failure"; the message is for others and the log.
      throw new SftpStatusError(STATUS.FAILURE, `toolbox: ${messageOf(err)}`);
    }
    this.ok(reqid);
  }

  private async onFstat(reqid: number, handle: Buffer): Promise<void> {
    const h = this.file(handle);
    const st = await this.onHandle(h, () => h.fh.stat());
    this.wire.raw.attrs(reqid, toAttrs(st));
  }

  private async onFsetstat(reqid: number, handle: Buffer, attrs: SftpAttrs): Promise<void> {
    const h = this.file(handle);
    await this.onHandle(h, async () => {
      await h.writes.idle();
      if (attrs.size !== undefined) await h.fh.truncate(attrs.size);
      if (attrs.mode !== undefined) await h.fh.chmod(attrs.mode & 0o7777);
      if (attrs.atime !== undefined && attrs.mtime !== undefined) await h.fh.utimes(attrs.atime, attrs.mtime);
      if (attrs.uid !== undefined && attrs.gid !== undefined) await h.fh.chown(attrs.uid, attrs.gid);
    });
    this.ok(reqid);
  }

  // --- directories -------------------------------------------------------------

  private async onOpendir(reqid: number, path: string): Promise<void> {
    this.checkHandleLimit();
    const abs = this.resolvePath(path);
    const names = await readdir(abs);
    this.addHandle(reqid, { kind: 'dir', path: abs, names: ['.', '..', ...names], pos: 0, ops: new Set() });
  }

  private async onReaddir(reqid: number, handle: Buffer): Promise<void> {
    const h = this.dir(handle);
    const ids = await this.idNames();
    const now = new Date();
    const entries = await this.onHandle(h, async () => {
      const out: NameOut[] = [];
      while (out.length === 0 && h.pos < h.names.length) {
        const batch = h.names.slice(h.pos, h.pos + READDIR_BATCH);
        h.pos += batch.length;
        const stats = await Promise.all(batch.map((name) => lstat(join(h.path, name)).catch(() => null)));
        batch.forEach((name, i) => {
          const st = stats[i];
          // Gone since OPENDIR: skip it, as readdir(3) would not have returned it.
          if (st) out.push({ filename: name, longname: longname(name, st, ids, now), attrs: toAttrs(st) });
        });
      }
      return out;
    });
    if (entries.length === 0) return this.wire.raw.status(reqid, STATUS.EOF);
    this.wire.raw.name(reqid, entries);
  }

  private idNames(): Promise<IdNames> {
    this.ids ??= loadIdNames();
    return this.ids;
  }

  // --- paths -------------------------------------------------------------------

  private async onStat(reqid: number, path: string, follow: boolean): Promise<void> {
    const abs = this.resolvePath(path);
    const st = follow ? await stat(abs) : await lstat(abs);
    this.wire.raw.attrs(reqid, toAttrs(st));
  }

  private async onSetstat(reqid: number, path: string, attrs: SftpAttrs): Promise<void> {
    const abs = this.resolvePath(path);
    if (attrs.size !== undefined) await truncate(abs, attrs.size);
    if (attrs.mode !== undefined) await chmod(abs, attrs.mode & 0o7777);
    if (attrs.atime !== undefined && attrs.mtime !== undefined) await utimes(abs, attrs.atime, attrs.mtime);
    if (attrs.uid !== undefined && attrs.gid !== undefined) await chown(abs, attrs.uid, attrs.gid);
    this.ok(reqid);
  }

  private async onRemove(reqid: number, path: string): Promise<void> {
    await unlink(this.resolvePath(path));
    this.ok(reqid);
  }

  private async onMkdir(reqid: number, path: string, attrs: SftpAttrs): Promise<void> {
    await mkdir(this.resolvePath(path), { mode: attrs.mode !== undefined ? attrs.mode & 0o7777 : 0o777 });
    this.ok(reqid);
  }

  private async onRmdir(reqid: number, path: string): Promise<void> {
    await rmdir(this.resolvePath(path));
    this.ok(reqid);
  }

  /** Canonical absolute path; a missing last part is allowed (OpenSSH's sftp_realpath). */
  private async canonical(path: string): Promise<string> {
    const abs = this.resolvePath(path);
    try {
      return await realpath(abs);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
      const parent = await realpath(dirname(abs)).catch(() => dirname(abs));
      return join(parent, basename(abs));
    }
  }

  private async onRealpath(reqid: number, path: string): Promise<void> {
    const abs = await this.canonical(path);
    this.wire.raw.name(reqid, [{ filename: abs, longname: abs, attrs: {} }]);
  }

  private async onReadlink(reqid: number, path: string): Promise<void> {
    const target = await readlink(this.resolvePath(path));
    this.wire.raw.name(reqid, [{ filename: target, longname: target, attrs: {} }]);
  }

  /** ssh2 already swaps OpenSSH's reversed SYMLINK arguments: (linkPath, targetPath). */
  private async onSymlink(reqid: number, linkPath: string, targetPath: string): Promise<void> {
    await symlink(targetPath, this.resolvePath(linkPath));
    this.ok(reqid);
  }

  /** filexfer-02 §6.5: RENAME fails when the new name exists (posix-rename overwrites). */
  private async onRename(reqid: number, oldPath: string, newPath: string): Promise<void> {
    const to = this.resolvePath(newPath);
    const exists = await lstat(to).then(() => true, (err: unknown) => {
      if (errnoCode(err) === 'ENOENT') return false;
      throw err;
    });
    if (exists) throw new SftpStatusError(STATUS.FAILURE, 'File exists');
    await this.renameInto(this.resolvePath(oldPath), to);
    this.ok(reqid);
  }

  /** A rename that makes an archive appear at the top of the toolbox installs it. */
  private async renameInto(from: string, to: string): Promise<void> {
    await rename(from, to);
    try {
      await this.ctx.toolbox.onUploadClosed(to);
    } catch (err) {
      throw new SftpStatusError(STATUS.FAILURE, `toolbox: ${messageOf(err)}`);
    }
  }

  // --- OpenSSH extensions (PROTOCOL §4) ---------------------------------------

  private async onExtended(reqid: number, name: string, data: Buffer | undefined): Promise<void> {
    const r = new ExtReader(data);
    switch (name) {
      case 'posix-rename@openssh.com': {
        const from = r.string();
        const to = r.string();
        await this.renameInto(this.resolvePath(from), this.resolvePath(to));
        return this.ok(reqid);
      }
      case 'hardlink@openssh.com': {
        const from = r.string();
        const to = r.string();
        await link(this.resolvePath(from), this.resolvePath(to));
        return this.ok(reqid);
      }
      case 'fsync@openssh.com': {
        const h = this.file(r.bytes());
        await this.onHandle(h, async () => {
          await h.writes.idle();
          await h.fh.sync();
        });
        return this.ok(reqid);
      }
      case 'statvfs@openssh.com':
        return this.replyStatvfs(reqid, this.resolvePath(r.string()));
      case 'fstatvfs@openssh.com':
        return this.replyStatvfs(reqid, this.file(r.bytes()).path);
      case 'limits@openssh.com':
        // max-packet-length, max-read-length, max-write-length, max-open-handles
        this.wire.sendRaw(encodeUint64Reply(reqid, [MAX_PACKET, MAX_READ, MAX_WRITE, MAX_HANDLES]));
        return;
      case 'expand-path@openssh.com': {
        const path = r.string();
        const expanded = path === '~' ? this.root : path.startsWith('~/') ? join(this.root, path.slice(2)) : path;
        const abs = await this.canonical(expanded);
        this.wire.raw.name(reqid, [{ filename: abs, longname: abs, attrs: {} }]);
        return;
      }
      default:
        throw new SftpStatusError(STATUS.OP_UNSUPPORTED, `unsupported extension ${name}`);
    }
  }

  private async replyStatvfs(reqid: number, path: string): Promise<void> {
    const s = await statfs(path);
    const values = statVfsValues({
      bsize: s.bsize, frsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail,
      files: s.files, ffree: s.ffree, favail: s.ffree, fsid: 0, flag: 0, namemax: 255,
    });
    this.wire.sendRaw(encodeUint64Reply(reqid, values));
  }

  // --- flow control ------------------------------------------------------------

  private readSlot(): Promise<void> {
    if (this.activeReads < MAX_CONCURRENT_READS) {
      this.activeReads++;
      return Promise.resolve();
    }
    return new Promise((resolveSlot) => this.readWaiters.push(() => {
      this.activeReads++;
      resolveSlot();
    }));
  }

  private releaseRead(): void {
    this.activeReads--;
    this.readWaiters.shift()?.();
  }

  /** Waits while ssh2 holds many response bytes for a client that is not reading. */
  private async outboundRoom(): Promise<void> {
    while (this.wire.isOpen() && this.wire.outboundQueued() > OUTBOUND_LIMIT) {
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  // --- end of channel ----------------------------------------------------------

  /** `graceful`: the client sent EOF, so finish what is in flight first. */
  private async shutdown(graceful: boolean): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (graceful) await Promise.allSettled([...this.inflight]);
    const open = [...this.handles.values()];
    this.handles.clear();
    for (const h of open) {
      if (h.kind !== 'file') continue;
      await Promise.allSettled([...h.ops]);
      await h.writes.idle();
      await h.fh.close().catch(() => undefined);
      // Never closed by the client: a cut upload, which must not touch the toolbox.
      if (h.uploadTemp) {
        await this.ctx.toolbox.discardUpload(h.uploadTemp).catch(() => undefined);
        this.ctx.audit?.('upload-cut', { path: h.path, bytes: h.writes.bytesWritten });
      }
    }
    if (graceful && this.wire.isOpen()) this.wire.close();
    this.finish();
  }
}
