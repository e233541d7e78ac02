// Unpacking a whole Debian package into a directory without dpkg: busybox-fetch's ar(5)
// reader finds the data.tar member, GNU tar unpacks it (keeping symlinks such as
// /lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/…), decompressing xz/zstd itself.
import { readFile } from 'node:fs/promises';
import { parseAr } from '../busybox-fetch/deb.js';
import { runCapture } from '../src/os/index.js';
import { VmError } from './errors.js';

const TAR_FILTER: Record<string, string[]> = { '': [], '.gz': ['-z'], '.xz': ['-J'], '.zst': ['--zstd'] };

/**
 * Unpacks the .deb at `debPath` into `dir` (which must exist); `members` limits what
 * (tar wildcards, each must match), `exclude` leaves out what matches.
 */
export async function extractDeb(debPath: string, dir: string, members: string[] = [], exclude: string[] = []): Promise<void> {
  const data = parseAr(await readFile(debPath)).find((m) => m.name.startsWith('data.tar'));
  if (!data) throw new VmError(`${debPath} has no data.tar member`);
  const filter = TAR_FILTER[data.name.slice('data.tar'.length)];
  if (!filter) throw new VmError(`${debPath}: unsupported ${data.name}`);
  const args = ['-x', ...filter, '-f', '-', '-C', dir, '--no-same-owner', ...exclude.map((e) => `--exclude=${e}`), '--wildcards', ...members];
  const r = await runCapture('tar', args, { input: data.data, timeoutMs: 5 * 60_000 });
  if (r.code !== 0) throw new VmError(`unpacking ${debPath} failed: tar ${r.stderr.trim() || `exit ${r.code ?? r.signal}`}`);
}
