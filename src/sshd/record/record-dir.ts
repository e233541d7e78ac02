// --record DIR: the file side of recording. One `YYYYMMDD-HHMMSS-sID.cast` per
// interactive session (mode 0600: a screen can show secrets), each capped at
// --record-max-size; before a new one opens, the oldest recordings are deleted until
// DIR's .cast files plus one full new file fit in --record-max-total.
import { createWriteStream } from 'node:fs';
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { TerminalSize } from '../../shell/index.js';
import type { AuditFn } from '../audit.js';
import type { SessionRecorder } from '../detach/index.js';
import { ensureDir } from '../../os/index.js';
import { CastRecorder } from './cast-recorder.js';
import type { CastSink } from './cast-recorder.js';

export interface RecordDirOptions {
  dir: string;
  maxFileBytes: number;
  maxTotalBytes: number;
  recordInput: boolean;
  audit: AuditFn;
}

export type RecorderFactory = (info: { id: string; size: TerminalSize; term: string; owner: string }) => Promise<SessionRecorder | undefined>;

const two = (n: number): string => String(n).padStart(2, '0');

/** `20261207-001500` in UTC: names sort by time. */
export function recordingStamp(d: Date): string {
  return `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}-${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`;
}

/** Which recordings to delete (oldest first) so the rest plus `room` fit in `limit`. */
export function pickPrunable(files: ReadonlyArray<{ name: string; bytes: number; mtimeMs: number }>, limit: number, room: number): string[] {
  const sorted = [...files].sort((a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name));
  let total = sorted.reduce((sum, f) => sum + f.bytes, 0);
  const doomed: string[] = [];
  for (const f of sorted) {
    if (total + room <= limit) break;
    doomed.push(f.name);
    total -= f.bytes;
  }
  return doomed;
}

/** A new recording file, opened for writing. */
type CastFile = NodeJS.WritableStream & { close?: () => void };

/** Creates DIR (0700) now, so a bad --record fails at startup. */
export async function createRecordDir(options: RecordDirOptions): Promise<RecorderFactory> {
  await ensureDir(options.dir);
  /** Names of the recordings still being written: never pruned. */
  const open = new Set<string>();
  return async (info) => {
    await pruneRecordings(options, open);
    const { name, stream } = await openNewCast(options.dir, `${recordingStamp(new Date())}-s${info.id}`);
    open.add(name);
    return startRecorder(options, info, join(options.dir, name), stream, () => open.delete(name));
  };
}

/** Deletes the oldest closed recordings until they plus one full new file fit in --record-max-total. */
async function pruneRecordings(options: RecordDirOptions, open: ReadonlySet<string>): Promise<void> {
  const files: Array<{ name: string; bytes: number; mtimeMs: number }> = [];
  for (const name of await readdir(options.dir)) {
    if (!name.endsWith('.cast') || open.has(name)) continue;
    const st = await stat(join(options.dir, name)).catch(() => undefined);
    if (st?.isFile()) files.push({ name, bytes: st.size, mtimeMs: st.mtimeMs });
  }
  for (const name of pickPrunable(files, options.maxTotalBytes, options.maxFileBytes)) {
    await unlink(join(options.dir, name)).then(
      () => options.audit('record-prune', { file: join(options.dir, name), reason: 'over --record-max-total' }),
      () => undefined,
    );
  }
}

/** Creates `base.cast` (0600) that did not exist, else `base-2.cast`, `base-3.cast`, …. */
async function openNewCast(dir: string, base: string): Promise<{ name: string; stream: CastFile }> {
  for (let attempt = 1; ; attempt++) {
    const name = attempt === 1 ? `${base}.cast` : `${base}-${attempt}.cast`;
    const path = join(dir, name);
    const candidate = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    const err = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      candidate.once('open', () => resolve(undefined));
      candidate.once('error', (e: NodeJS.ErrnoException) => resolve(e));
    });
    if (!err) return { name, stream: candidate };
    if (err.code !== 'EEXIST' || attempt >= 99) throw new Error(`cannot create ${path}: ${err.message}`, { cause: err });
  }
}

/** The session's CastRecorder on `stream`; a write error stops it with a warning. */
function startRecorder(
  options: RecordDirOptions,
  info: Parameters<RecorderFactory>[0],
  file: string,
  stream: CastFile,
  onClosed: () => void,
): CastRecorder {
  let recorder: CastRecorder | undefined;
  stream.on('error', (err: Error) => {
    recorder?.stop();
    options.audit('warning', { message: `recording ${file}: ${err.message}; the rest of session ${info.id} is not recorded` });
  });
  const sink: CastSink = {
    write: (text) => void stream.write(text),
    close: () => new Promise<void>((resolve) => stream.end(() => resolve())),
  };
  recorder = new CastRecorder({
    sink,
    size: info.size,
    term: info.term,
    title: `breakglass session ${info.id} (${info.owner})`,
    maxBytes: options.maxFileBytes,
    recordInput: options.recordInput,
    onClose: ({ bytes, truncated }) => {
      onClosed();
      options.audit('record-end', { id: info.id, file, bytes, truncated: truncated || undefined });
    },
  });
  options.audit('record-start', { id: info.id, file, input: options.recordInput || undefined });
  return recorder;
}
