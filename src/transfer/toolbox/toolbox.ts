// The toolbox: a directory first on every shell's PATH that uploaded tarballs are
// unpacked into (DESIGN.md "Toolbox"). Archives are staged next to the toolbox (same
// file system, so the final step is renames) and extractions run one at a time.
import { createReadStream, existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { basename, dirname, join, resolve } from 'node:path';
import { currentUmask, ensureDir, errnoCode } from '../../os/index.js';
import { messageOf } from '../../common/index.js';
import { addAppletLinks } from './applets.js';
import { applyCommit, planCommit } from './commit.js';
import { isArchiveName } from './entry-path.js';
import { ToolboxError } from './errors.js';
import { stageArchive } from './extract.js';
import { isVolatileFs } from './statfs.js';
import { emptyDir, listTree, usedBytes } from './tree.js';
import type { TreeEntry } from './tree.js';
import type { ToolboxHandle } from '../../shell/index.js';

export type AuditFn = (event: string, fields: Record<string, unknown>) => void;

export interface ToolboxOptions {
  dir: string;
  quotaBytes: number;
  audit?: AuditFn;
}

export interface Manifest {
  files: number;
  bytes: number;
  sha256: string;
  /** Applet links made for a busybox in the archive. */
  applets: number;
  /** Why applet links were not made, when a busybox could not be run. */
  appletsSkipped?: string;
}

export interface AddOptions {
  signal?: AbortSignal;
}

/** The toolbox: a directory on PATH that tarballs are unpacked into. */
export interface Toolbox extends ToolboxHandle {
  readonly quotaBytes: number;
  /** As ToolboxHandle.add; the manifest also counts busybox applet links. An abort signal cancels it. */
  add(input: Readable, label: string, options?: AddOptions): Promise<Manifest>;
  list(): Promise<TreeEntry[]>;
  /** Called by SFTP/scp when an uploaded file at the top of the dir is closed. */
  onUploadClosed(path: string): Promise<void>;
  /** True when the dir is on tmpfs (statfs); false means tools would survive on flash. */
  isTmpfs(): Promise<boolean>;
  /** SFTP/scp write an archive upload here instead of into the toolbox (undefined: not an archive). */
  uploadPath(path: string): string | undefined;
  /** Extracts a finished upload written to an uploadPath(), then deletes it (also on failure). */
  installUpload(tempPath: string, label: string): Promise<Manifest>;
  /** Deletes an upload that was cut short. */
  discardUpload(tempPath: string): Promise<void>;
  /** Removes the staging dir (breakglassd stopping; no upload runs any more); the toolbox itself stays. */
  close(): Promise<void>;
}

/** Runs tasks one after another (extractions must not interleave). */
class Serializer {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

const FALLBACK_STAGING = '.breakglass-staging';

/**
 * Makes sure the dir exists and is a directory (ensureDir throws ENOTDIR otherwise);
 * returns its absolute path. Not mkdir({ recursive }), which can spin forever under /proc.
 */
async function prepareDir(dir: string): Promise<string> {
  const abs = resolve(dir);
  await ensureDir(abs, 0o755);
  return abs;
}

/**
 * The staging root: `.NAME.staging` beside the toolbox (same file system, invisible
 * in it); inside the toolbox as `.breakglass-staging` when the parent is read-only.
 * Leftovers of a crashed run are removed.
 */
async function prepareStaging(dir: string): Promise<{ root: string; hidden: Set<string> }> {
  const beside = join(dirname(dir), `.${basename(dir)}.staging`);
  try {
    await rm(beside, { recursive: true, force: true });
    await mkdir(beside, { mode: 0o700 });
    return { root: beside, hidden: new Set() };
  } catch (err) {
    if (!['EACCES', 'EPERM', 'EROFS'].includes(errnoCode(err) ?? '')) throw err;
  }
  const inside = join(dir, FALLBACK_STAGING);
  await rm(inside, { recursive: true, force: true });
  await mkdir(inside, { mode: 0o700 });
  return { root: inside, hidden: new Set([FALLBACK_STAGING]) };
}

/** What an extraction needs to know about the toolbox it fills. */
interface ExtractContext {
  dir: string;
  staging: { root: string; hidden: Set<string> };
  quotaBytes: number;
  umask: Promise<number>;
  audit: AuditFn | undefined;
}

/** True for the errors lstat gives when nothing is at the path. */
function isAbsent(err: unknown): boolean {
  return errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR';
}

/** Size of the regular file at `path` in the toolbox (0: none, or not a regular file). */
async function existingSize(dir: string, path: string): Promise<number> {
  try {
    const st = await lstat(join(dir, path));
    return st.isFile() ? st.size : 0;
  } catch (err) {
    if (isAbsent(err)) return 0;
    throw err;
  }
}

/** Whether anything (even a dangling symlink) is at `path` in the toolbox. */
function toolboxHas(dir: string, path: string): Promise<boolean> {
  return lstat(join(dir, path)).then(
    () => true,
    (err: unknown) => {
      if (isAbsent(err)) return false;
      throw err;
    },
  );
}

/** Unpacks one archive into a fresh stage dir, then commits it into the toolbox. */
async function extract(ctx: ExtractContext, input: Readable, label: string, addOptions: AddOptions): Promise<Manifest> {
  const { dir, staging, quotaBytes, audit } = ctx;
  const stageDir = await mkdtemp(join(staging.root, 'extract-'));
  try {
    const usageBefore = await usedBytes(dir, staging.hidden);
    const staged = await stageArchive(input, {
      stageDir,
      quotaBytes,
      usageBefore,
      existingSize: (path) => existingSize(dir, path),
      toolboxHas: (path) => toolboxHas(dir, path),
      umask: await ctx.umask,
      signal: addOptions.signal,
    });
    const applets = await addAppletLinks(stageDir, staged.tree, dir);
    await applyCommit(await planCommit(staged.tree, dir), stageDir, dir);
    const manifest: Manifest = { files: staged.files, bytes: staged.bytes, sha256: staged.sha256, applets: applets.links };
    if (applets.skipped) manifest.appletsSkipped = applets.skipped;
    audit?.('upload', { label, dir, ...manifest, archiveBytes: staged.archiveBytes });
    return manifest;
  } catch (err) {
    audit?.('upload-refused', { label, dir, error: messageOf(err) });
    throw err instanceof ToolboxError ? err : new ToolboxError(`toolbox: ${messageOf(err)}`, { label }, { cause: err });
  } finally {
    await rm(stageDir, { recursive: true, force: true });
  }
}

export async function createToolbox(options: ToolboxOptions): Promise<Toolbox> {
  const dir = await prepareDir(options.dir);
  const staging = await prepareStaging(dir);
  const serializer = new Serializer();
  const { audit, quotaBytes } = options;
  const ctx: ExtractContext = { dir, staging, quotaBytes, umask: currentUmask(), audit };
  let uploadCounter = 0;

  const toolbox: Toolbox = {
    dir,
    quotaBytes,
    pathDirs(): string[] {
      const bin = join(dir, 'bin');
      return existsSync(bin) ? [dir, bin] : [dir];
    },
    add: (input, label, addOptions = {}) => serializer.run(() => extract(ctx, input, label, addOptions)),
    list: () => listTree(dir, staging.hidden),
    async clear(): Promise<void> {
      await serializer.run(() => emptyDir(dir, staging.hidden));
      audit?.('toolbox-clear', { dir });
    },
    uploadPath(path: string): string | undefined {
      const abs = resolve(path);
      if (dirname(abs) !== dir || !isArchiveName(basename(abs))) return undefined;
      return join(staging.root, `upload-${process.pid}-${++uploadCounter}-${basename(abs)}`);
    },
    async installUpload(tempPath: string, label: string): Promise<Manifest> {
      try {
        return await toolbox.add(createReadStream(tempPath, { highWaterMark: 1024 * 1024 }), label);
      } finally {
        await rm(tempPath, { force: true });
      }
    },
    discardUpload: (tempPath) => rm(tempPath, { force: true }),
    async onUploadClosed(path: string): Promise<void> {
      const abs = resolve(path);
      if (dirname(abs) !== dir || !isArchiveName(basename(abs))) return;
      // Move it out of the toolbox first so the tree holds only what extraction leaves.
      const temp = toolbox.uploadPath(abs)!;
      await rename(abs, temp);
      await toolbox.installUpload(temp, basename(abs));
    },
    isTmpfs: () => isVolatileFs(dir),
    close: () => rm(staging.root, { recursive: true, force: true }),
  };
  return toolbox;
}
