// Streams a tar into a staging directory, refusing anything unsafe on the way
// (DESIGN.md "Toolbox"): names are normalised by entry-path.ts, parents must be real
// directories created by this archive (no writing through links), links must stay
// inside, device nodes and FIFOs are refused, setuid/setgid/sticky are dropped, and
// the quota is checked against each header before its data is written.
import { close as fsClose, fchmod, futimes, open as fsOpen, writev } from 'node:fs';
import { link, mkdir, open, rm, symlink } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { errnoCode } from '../../os/index.js';
import { messageOf } from '../../common/index.js';
import { writeChunks } from '../file-write.js';
import { ByteLimit, HashTap, gunzipStream, isGzip, peekFirstChunk } from './archive-input.js';
import { ancestorsOf, checkSymlinkTarget, normalizeEntryName } from './entry-path.js';
import { ToolboxError, refuseEntry } from './errors.js';

export type StagedKind = 'dir' | 'file' | 'symlink';

export interface StagedNode {
  kind: StagedKind;
  mode: number;
  size: number;
}

/** Normalised path → what the archive put there, in the staging dir. */
export type StagedTree = Map<string, StagedNode>;

export interface StageOptions {
  stageDir: string;
  quotaBytes: number;
  /** Bytes the toolbox holds now (regular files). */
  usageBefore: number;
  /** Size of the regular file at `path` in the toolbox now (0 if none): it gets replaced. */
  existingSize(path: string): Promise<number>;
  /** Whether the toolbox has anything at `path` now (to skip lookups under new directories). */
  toolboxHas(path: string): Promise<boolean>;
  /** The process umask (decides whether a chmod is needed after open). */
  umask?: number;
  /** Slack for tar headers and padding on top of the quota when capping decompressed bytes. */
  headerSlackBytes?: number;
  signal?: AbortSignal;
}

export interface StageResult {
  tree: StagedTree;
  files: number;
  bytes: number;
  sha256: string;
  archiveBytes: number;
}

/** The part of tar-stream's (streamx) entry stream we use. */
type EntryStream = AsyncIterable<unknown> & {
  resume(): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
};

const DEFAULT_SLACK = 16 * 1024 * 1024;
/** Files up to this size are read whole and written in the background. */
const SMALL_FILE = 1024 * 1024;
const BACKGROUND_FILES = 16;
const BACKGROUND_BYTES = 16 * 1024 * 1024;
/** Permission bits kept; setuid, setgid and sticky are dropped. */
const PERM_MASK = 0o777;

/** Extracts `input` (tar or tar.gz) into opts.stageDir. Throws ToolboxError with the reason. */
export async function stageArchive(input: Readable, opts: StageOptions): Promise<StageResult> {
  const head = await peekFirstChunk(input);
  if (head === null) throw new ToolboxError('empty archive: no bytes received');
  const hashTap = new HashTap();
  const slack = opts.headerSlackBytes ?? DEFAULT_SLACK;
  const limit = new ByteLimit(
    opts.quotaBytes + slack,
    (n) => `archive expands to more than ${n} bytes (the toolbox quota plus headers): refused before the disk fills`,
  );
  const extract = tar.extract();
  // streamx may report a second error (e.g. "Unexpected end of data" after an entry
  // failed) once pipeline() has settled and stopped listening; the first one counts.
  extract.on('error', () => undefined);
  const stager = new Stager(opts);
  extract.on('entry', (header, stream, next) => {
    // The entry's error is seen by the reader below; this keeps a late duplicate quiet.
    stream.on('error', () => undefined);
    stager.entry(header, stream as unknown as EntryStream).then(
      () => next(),
      (err: unknown) => {
        stream.resume();
        next(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
  const stages: NodeJS.ReadWriteStream[] = isGzip(head) ? [hashTap, gunzipStream(), limit] : [hashTap, limit];
  // The input is piped rather than put in the pipeline: pipeline() destroys its
  // streams on failure, and the input may be an SSH channel whose other half still
  // has to carry the error message and exit status.
  const onInputError = (err: Error): void => void hashTap.destroy(err);
  const onInputClose = (): void => {
    if (!input.readableEnded) hashTap.destroy(new ToolboxError('upload cut short: the input closed before the end of the archive'));
  };
  input.on('error', onInputError);
  input.on('close', onInputClose);
  input.pipe(hashTap);
  try {
    await pipeline([...stages, extract as unknown as NodeJS.WritableStream], { signal: opts.signal });
  } catch (err) {
    input.unpipe(hashTap);
    // Drain what is still coming so the sender is not left blocked on a full window.
    if (!input.destroyed) input.resume();
    throw describeStreamError(err, stager.firstError);
  } finally {
    input.off('error', onInputError);
    input.off('close', onInputClose);
    // Writes still running in the background must finish (or fail) before anything
    // else looks at the staging dir.
    await stager.settle();
  }
  if (stager.firstError) throw stager.firstError;
  if (stager.entries === 0) throw new ToolboxError('archive has no entries');
  return {
    tree: stager.tree,
    files: stager.files,
    bytes: stager.bytes,
    sha256: hashTap.hash.digest('hex'),
    archiveBytes: hashTap.bytes,
  };
}

/** Turns stream-level failures into one clear sentence. */
function describeStreamError(err: unknown, entryError: ToolboxError | undefined): Error {
  if (entryError) return entryError;
  if (err instanceof ToolboxError) return err;
  const message = messageOf(err);
  const code = errnoCode(err);
  if (code === 'ABORT_ERR' || (err instanceof Error && err.name === 'AbortError')) return new ToolboxError('upload aborted', {}, { cause: err });
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(message)) return new ToolboxError('gzip data is truncated (upload cut short?)', {}, { cause: err });
  if (code?.startsWith('Z_')) return new ToolboxError(`gzip data is corrupt: ${message}`, {}, { cause: err });
  if (/Unexpected end of data/.test(message)) return new ToolboxError('archive is truncated: it ends inside an entry (upload cut short?)', {}, { cause: err });
  if (/Invalid tar header|unknown format|Header exceeds max size|Invalid header/.test(message)) {
    return new ToolboxError(`not a tar or tar.gz archive (${message.replace(/\.? Maybe.*$/, '')})`, {}, { cause: err });
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') return new ToolboxError('no space left on the toolbox file system', {}, { cause: err });
  return new ToolboxError(`extraction failed: ${message}`, {}, { cause: err });
}

class Stager {
  readonly tree: StagedTree = new Map();
  entries = 0;
  files = 0;
  bytes = 0;
  firstError: ToolboxError | undefined;
  /** usageBefore − replaced + staged, kept current as entries land. */
  private projected: number;
  private readonly replacedCounted = new Set<string>();
  /** Staged directories the toolbox does not have: nothing below them needs a lookup. */
  private readonly newInToolbox = new Set<string>();
  /** Small files being written in the background, by path. */
  private readonly writing = new Map<string, Promise<void>>();
  private writingBytes = 0;
  private readonly slotWaiters: Array<() => void> = [];

  constructor(private readonly opts: StageOptions) {
    this.projected = opts.usageBefore;
  }

  /** Waits for every background write; the first failure becomes firstError. */
  async settle(): Promise<void> {
    while (this.writing.size) await Promise.allSettled([...this.writing.values()]);
  }

  /**
   * Runs a small file's open/write/chmod/utimes/close without holding up the tar
   * stream, so many small files use the whole thread pool. Bounded: at most
   * BACKGROUND_FILES files and BACKGROUND_BYTES bytes in flight.
   */
  private async inBackground(path: string, bytes: number, task: () => Promise<void>): Promise<void> {
    while (this.writing.size >= BACKGROUND_FILES || (this.writing.size > 0 && this.writingBytes + bytes > BACKGROUND_BYTES)) {
      await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
    }
    this.writingBytes += bytes;
    const done = task()
      .catch((err: unknown) => {
        this.firstError ??= err instanceof ToolboxError ? err : refuseEntry(path, messageOf(err));
      })
      .finally(() => {
        this.writing.delete(path);
        this.writingBytes -= bytes;
        this.slotWaiters.shift()?.();
      });
    this.writing.set(path, done);
  }

  private async wrote(path: string): Promise<void> {
    await this.writing.get(path);
    if (this.firstError) throw this.firstError;
  }

  /** True when `path` certainly does not exist in the toolbox (a parent is new). */
  private newPath(path: string): boolean {
    return ancestorsOf(path).some((dir) => this.newInToolbox.has(dir));
  }

  private async noteDir(path: string): Promise<void> {
    if (this.newPath(path) || !(await this.opts.toolboxHas(path))) this.newInToolbox.add(path);
  }

  async entry(header: tar.Header, stream: EntryStream): Promise<void> {
    try {
      await this.handle(header, stream);
    } catch (err) {
      const wrapped = err instanceof ToolboxError ? err : refuseEntry(header.name, messageOf(err));
      this.firstError ??= wrapped;
      throw wrapped;
    }
  }

  private async handle(header: tar.Header, stream: EntryStream): Promise<void> {
    if (this.firstError) throw this.firstError;
    this.entries++;
    const name = header.name;
    const check = normalizeEntryName(name);
    if (!check.ok) throw refuseEntry(name, check.reason);
    const path = check.path;
    // tar-stream reports unknown typeflags as null.
    const type = (header.type as string | null) ?? 'unknown';
    if (path === '') {
      if (type !== 'directory') throw refuseEntry(name, 'only a directory may name the archive root');
      return skipDirectoryBody(stream);
    }
    switch (type) {
      case 'directory':
        await this.ensureParents(name, path);
        await this.makeDir(name, path, header.mode ?? 0o755);
        return skipDirectoryBody(stream);
      case 'file':
      case 'contiguous-file':
        await this.ensureParents(name, path);
        return this.writeFile(name, path, header, stream);
      case 'symlink':
        await this.ensureParents(name, path);
        await this.makeSymlink(name, path, header.linkname ?? '');
        return drain(stream);
      case 'link':
        await this.ensureParents(name, path);
        await this.makeHardlink(name, path, header.linkname ?? '');
        return drain(stream);
      case 'character-device':
      case 'block-device':
        throw refuseEntry(name, `device node (${type}) refused`);
      case 'fifo':
        throw refuseEntry(name, 'FIFO refused');
      default:
        throw refuseEntry(name, `unsupported entry type ${String(type)}`);
    }
  }

  private abs(path: string): string {
    return join(this.opts.stageDir, path);
  }

  /** Parents must be directories of this archive (created on demand), never links or files. */
  private async ensureParents(name: string, path: string): Promise<void> {
    for (const dir of ancestorsOf(path)) {
      const node = this.tree.get(dir);
      if (node?.kind === 'dir') continue;
      if (node) throw refuseEntry(name, `its parent ${dir} is a ${node.kind === 'symlink' ? 'symlink' : 'file'} in the archive (writing through it is refused)`);
      await mkdir(this.abs(dir), { mode: 0o755 });
      this.tree.set(dir, { kind: 'dir', mode: 0o755, size: 0 });
      await this.noteDir(dir);
    }
  }

  /** Clears an earlier entry of the same name (the later one wins, as with tar). */
  private async replace(name: string, path: string, kind: StagedKind): Promise<'keep' | 'new'> {
    const node = this.tree.get(path);
    if (!node) return 'new';
    if (node.kind === 'dir') {
      if (kind === 'dir') return 'keep';
      throw refuseEntry(name, 'a directory of that name came earlier in the archive');
    }
    await this.wrote(path);
    await rm(this.abs(path), { force: true });
    if (node.kind === 'file') this.unstage(node.size);
    this.tree.delete(path);
    return 'new';
  }

  private unstage(size: number): void {
    this.projected -= size;
    this.bytes -= size;
    this.files--;
  }

  private async makeDir(name: string, path: string, mode: number): Promise<void> {
    const perm = (mode & PERM_MASK) | 0o700;
    if ((await this.replace(name, path, 'dir')) === 'keep') {
      this.tree.get(path)!.mode = perm;
      return;
    }
    await mkdir(this.abs(path), { mode: perm });
    this.tree.set(path, { kind: 'dir', mode: perm, size: 0 });
    await this.noteDir(path);
  }

  private async makeSymlink(name: string, path: string, target: string): Promise<void> {
    const check = checkSymlinkTarget(path, target);
    if (!check.ok) throw refuseEntry(name, check.reason);
    await this.replace(name, path, 'symlink');
    await symlink(target, this.abs(path));
    this.tree.set(path, { kind: 'symlink', mode: 0o777, size: Buffer.byteLength(target) });
    this.files++;
  }

  private async makeHardlink(name: string, path: string, linkname: string): Promise<void> {
    const check = normalizeEntryName(linkname);
    if (!check.ok) throw refuseEntry(name, `hardlink target ${JSON.stringify(linkname)}: ${check.reason}`);
    const target = this.tree.get(check.path);
    if (target?.kind !== 'file') {
      throw refuseEntry(name, `hardlink target ${JSON.stringify(linkname)} is not a regular file earlier in the archive`);
    }
    if (check.path === path) return;
    await this.wrote(check.path);
    await this.replace(name, path, 'file');
    await link(this.abs(check.path), this.abs(path));
    // Same inode: no new bytes on disk, but it is one more file in the manifest.
    this.tree.set(path, { kind: 'file', mode: target.mode, size: 0 });
    this.files++;
  }

  private async writeFile(name: string, path: string, header: tar.Header, stream: EntryStream): Promise<void> {
    const size = header.size ?? 0;
    await this.replace(name, path, 'file');
    if (!this.replacedCounted.has(path)) {
      this.replacedCounted.add(path);
      if (!this.newPath(path)) this.projected -= await this.opts.existingSize(path);
    }
    if (this.projected + size > this.opts.quotaBytes) {
      throw new ToolboxError(
        `quota exceeded at entry ${JSON.stringify(name)} (${size} bytes): the toolbox would hold ${this.projected + size} bytes, over the quota of ${this.opts.quotaBytes} (--toolbox-quota)`,
        { entry: name, quota: this.opts.quotaBytes },
      );
    }
    const perm = (header.mode ?? 0o644) & PERM_MASK;
    // open() applies the umask; chmod only when it took bits the archive wants.
    const needsChmod = (perm & (this.opts.umask ?? 0o022)) !== 0;
    const mtime = header.mtime;
    const abs = this.abs(path);
    this.tree.set(path, { kind: 'file', mode: perm, size });
    this.projected += size;
    this.bytes += size;
    this.files++;
    if (size <= SMALL_FILE) {
      const chunks: Buffer[] = [];
      let got = 0;
      for await (const chunk of stream) {
        chunks.push(chunk as Buffer);
        got += (chunk as Buffer).length;
      }
      if (got !== size) throw refuseEntry(name, `has ${got} bytes, header says ${size}`);
      return this.inBackground(path, size, () => writeSmallFile(abs, chunks, size, perm, needsChmod, mtime));
    }
    const handle = await open(abs, 'wx', perm);
    try {
      const written = await writeChunks(handle, stream);
      if (written !== size) throw refuseEntry(name, `has ${written} bytes, header says ${size}`);
      if (needsChmod) await handle.chmod(perm);
      if (mtime) await handle.utimes(mtime, mtime);
    } finally {
      await handle.close();
    }
  }
}

/**
 * A small file in four syscalls on plain descriptors (the FileHandle API costs a
 * tracked object per file, which shows with thousands of small files).
 */
async function writeSmallFile(path: string, chunks: Buffer[], size: number, perm: number, needsChmod: boolean, mtime: Date | undefined): Promise<void> {
  const fd = await fdOpen(path, 'wx', perm);
  try {
    let done = 0;
    let rest = chunks;
    while (done < size) {
      const n = await fdWritev(fd, rest, done);
      if (n === 0) throw Object.assign(new Error('write made no progress (disk full?)'), { code: 'EIO' });
      done += n;
      if (done < size) rest = [Buffer.concat(rest).subarray(n)];
    }
    if (needsChmod) await fdChmod(fd, perm);
    if (mtime) await fdUtimes(fd, mtime, mtime);
  } finally {
    await fdClose(fd);
  }
}

const fdOpen = promisify(fsOpen);
const fdClose = promisify(fsClose);
const fdChmod = promisify(fchmod);
const fdUtimes = promisify(futimes);
const fdWritev = (fd: number, buffers: Buffer[], position: number): Promise<number> =>
  new Promise((resolve, reject) => writev(fd, buffers, position, (err, n) => (err ? reject(err) : resolve(n))));

/**
 * A directory has no data, whatever its size field says (POSIX lets readers ignore it;
 * tar-stream reads the next header right after it). Its entry stream ends only when the
 * size is 0, so waiting for 'end' would hang the upload on a directory with a size.
 */
function skipDirectoryBody(stream: EntryStream): void {
  stream.resume();
}

function drain(stream: EntryStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
    stream.resume();
  });
}
