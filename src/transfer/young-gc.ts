// Uploads: a young-generation collection every few MiB of received file data, so that
// the peak RSS of a 1 GiB upload stays near idle + the write queue.
//
// Why: every SSH packet of an upload arrives in Buffers of its own (node's decipher has no
// in-place API), and their memory is outside the V8 heap. V8 frees such young
// ArrayBuffers only at a scavenge, and forces one for "external memory pressure" only at
// a fixed 32 MiB of them (2 × the default max semi-space; no flag changes that threshold).
// So an upload held ~32 MiB of dead packets on top of what it really queued. Collecting
// every 4 MiB took a 1 GiB upload's peak from 98–100 to 81–84 MiB (the bench's memory
// section: 110 to 93) at the same CPU time and speed; every 2 MiB was worse (116–129 MiB:
// live write-queue buffers got promoted), 8 MiB no better than none (bench/ANALYSIS.md 17-18).
//
// `gc` is exposed for a moment and taken from a fresh context, then the flag is turned
// off again: V8's code cache checks a hash of the flags, and leaving --expose-gc on would
// make every later start reject dist/'s cache. node:v8 is required only then: at the top
// it cost every start 0.6 ms (and the bundle may not hold import(); the loader cannot serve it).
import { createRequire } from 'node:module';
import type * as V8 from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Bytes of received file data between two collections: ≥ 2 × the SFTP queue's high water (2 MiB). */
export const YOUNG_GC_INTERVAL = 4 * 1024 * 1024;

type MinorGc = (options: { type: 'minor' }) => void;

let pending = 0;
let collect: MinorGc | null | undefined; // undefined: not looked for yet
// The base path does not matter for a built-in module.
const requireBuiltin = createRequire(process.execPath);

/** Counts `bytes` of received upload data (all sessions together); collects every YOUNG_GC_INTERVAL. */
export function noteUploadBytes(bytes: number): void {
  pending += bytes;
  if (pending < YOUNG_GC_INTERVAL) return;
  pending = 0;
  collect ??= obtainGc();
  collect?.({ type: 'minor' });
}

/** node's own `gc` when started with --expose-gc, else one taken as above; null if that fails. */
function obtainGc(): MinorGc | null {
  const own = (globalThis as { gc?: MinorGc }).gc;
  if (typeof own === 'function') return own;
  const { setFlagsFromString } = requireBuiltin('node:v8') as typeof V8;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as MinorGc) : null;
  } catch {
    return null; // not worth failing an upload over: memory is merely higher
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
