// busybox-fetch's work: get a busybox binary (Debian's busybox-static by default),
// check it can run on the device, and write the reproducible debug tarball.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadBusyboxDeb } from './apt.js';
import type { Arch } from './arch.js';
import { machineName } from './arch.js';
import { debDataTar, fileFromTar } from './deb.js';
import { ElfError, readElf } from './elf.js';
import { writeTar } from './tar-writer.js';

export class FetchError extends Error {
  override name = 'FetchError';
}

export interface FetchOptions {
  arch: Arch;
  out: string;
  deb?: string;
  binary?: string;
  log: (line: string) => void;
}

export interface FetchResult {
  out: string;
  sha256: string;
  bytes: number;
}

const BUSYBOX_IN_DEB = ['bin/busybox', 'usr/bin/busybox'];

/** Refuses a binary that is not an ELF for `arch` or that needs a dynamic loader. */
export function checkBinary(data: Buffer, arch: Arch, label: string): void {
  let elf;
  try {
    elf = readElf(data);
  } catch (err) {
    if (err instanceof ElfError) throw new FetchError(`${label}: ${err.message}`);
    throw err;
  }
  if (elf.machine !== arch.machine || elf.elfClass !== arch.elfClass) {
    throw new FetchError(`${label} is a ${elf.elfClass}-bit ${machineName(elf.machine)} binary, not ${arch.elfClass}-bit ${arch.machineName} (--arch ${arch.goarch})`);
  }
  if (elf.interpreter !== undefined) {
    throw new FetchError(
      `${label} is dynamically linked (interpreter ${elf.interpreter}); the device has no C library, so it needs a static busybox such as Debian's busybox-static`,
    );
  }
}

async function busyboxFromDeb(deb: Buffer, debPath: string): Promise<Buffer> {
  const data = await debDataTar(deb, debPath);
  const busybox = await fileFromTar(data, BUSYBOX_IN_DEB);
  if (!busybox) throw new FetchError(`${debPath} has no bin/busybox (is it busybox-static?)`);
  return busybox;
}

async function getBusybox(opts: FetchOptions): Promise<{ data: Buffer; label: string }> {
  if (opts.binary) return { data: await readFile(opts.binary), label: opts.binary };
  if (opts.deb) return { data: await busyboxFromDeb(await readFile(opts.deb), opts.deb), label: `bin/busybox from ${opts.deb}` };
  const work = await mkdtemp(join(tmpdir(), 'busybox-fetch-'));
  try {
    const deb = await downloadBusyboxDeb(opts.arch.debian, work, opts.log);
    return { data: await busyboxFromDeb(deb.data, deb.path), label: `bin/busybox from busybox-static:${opts.arch.debian}` };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Temp file + rename for a regular file; straight into anything else (`--out /dev/stdout`). */
async function writeOut(out: string, data: Buffer): Promise<void> {
  const existing = await stat(out).catch(() => undefined);
  if (existing && !existing.isFile()) return writeFile(out, data);
  const temp = `${out}.tmp-${process.pid}`;
  await writeFile(temp, data, { mode: 0o644 });
  await rename(temp, out);
}

export async function fetchBusybox(opts: FetchOptions): Promise<FetchResult> {
  const { data, label } = await getBusybox(opts);
  checkBinary(data, opts.arch, label);
  const tarball = writeTar([
    { name: 'busybox', type: 'file', mode: 0o755, data },
    { name: 'sh', type: 'symlink', target: 'busybox' },
  ]);
  await writeOut(opts.out, tarball);
  return { out: opts.out, sha256: createHash('sha256').update(tarball).digest('hex'), bytes: tarball.length };
}
