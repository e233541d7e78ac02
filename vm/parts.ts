// Everything the appliance is built from, fetched once per architecture into the cache
// (.cache/vm/<arch>/parts) and re-used while a manifest of SHA-256 sums matches:
//   kernel/   vmlinuz + the modules to load (kernel.ts), from linux-image-<ver>-<arch>
//   node/     bin/node from the npm registry (node-package.ts)
//   libs/     glibc, libstdc++6 and libgcc-s1 of that architecture, as Debian lays them out
//   busybox   busybox-static's binary, for the initramfs only (never the squashfs root)
//   debs/     the downloaded .debs (the toolbox tarball is built from busybox-static's)
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { checkBinary } from '../busybox-fetch/fetch.js';
import { debDataTar, fileFromTar } from '../busybox-fetch/deb.js';
import { ensureLists, downloadDeb, resolveMetapackage } from './apt.js';
import type { AptState } from './apt.js';
import type { VmArch } from './arch.js';
import { NODE_VERSION } from './arch.js';
import { extractDeb } from './deb-extract.js';
import { VmError } from './errors.js';
import { kernelFromDeb } from './kernel.js';
import { fetchNode } from './node-package.js';

/** The C and C++ runtime Node is linked against (readelf -d: libc, libm, libstdc++, libgcc_s). */
export const LIBRARY_PACKAGES = ['libc6', 'libstdc++6', 'libgcc-s1'];

export interface Parts {
  dir: string;
  kernelVersion: string;
  vmlinuz: string;
  modules: string[];
  node: string;
  /** A tree with lib/, lib64/ and usr/lib/ to copy into the root. */
  libs: string;
  busybox: string;
  busyboxDeb: string;
}

interface Manifest {
  parts: Omit<Parts, 'dir'>;
  sha256: Record<string, string>;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** Relative paths (to `dir`) of the parts' files and the libs tree. */
async function partFiles(dir: string, parts: Omit<Parts, 'dir'>): Promise<string[]> {
  const files = [parts.vmlinuz, ...parts.modules, parts.node, parts.busybox, parts.busyboxDeb, ...(await filesUnder(join(dir, parts.libs)))];
  return files.map((f) => (f.startsWith('/') ? relative(dir, f) : f));
}

/** The manifest's parts when every file is there with its recorded hash. */
async function verifiedParts(dir: string): Promise<Parts | undefined> {
  const raw = await readFile(join(dir, 'manifest.json'), 'utf8').catch(() => undefined);
  if (!raw) return undefined;
  const manifest = JSON.parse(raw) as Manifest;
  for (const [file, sum] of Object.entries(manifest.sha256)) {
    if ((await lstat(join(dir, file)).catch(() => undefined)) === undefined) return undefined;
    if ((await sha256File(join(dir, file))) !== sum) return undefined;
  }
  const abs = (p: string): string => join(dir, p);
  const p = manifest.parts;
  return { dir, kernelVersion: p.kernelVersion, vmlinuz: abs(p.vmlinuz), modules: p.modules.map(abs), node: abs(p.node), libs: abs(p.libs), busybox: abs(p.busybox), busyboxDeb: abs(p.busyboxDeb) };
}

async function busyboxFromDeb(deb: string, arch: VmArch, target: string): Promise<void> {
  const data = await fileFromTar(await debDataTar(await readFile(deb), deb), ['bin/busybox', 'usr/bin/busybox']);
  if (!data) throw new VmError(`${deb} has no bin/busybox`);
  checkBinary(data, arch.elf, `bin/busybox from ${deb}`);
  await writeFile(target, data, { mode: 0o755 });
}

/** Fetches what is missing or does not verify; returns the parts. */
export async function ensureParts(arch: VmArch, dir: string, log: (line: string) => void): Promise<Parts> {
  const cached = await verifiedParts(dir);
  if (cached) {
    log(`parts for ${arch.name} verified in ${dir} (kernel ${cached.kernelVersion}, node ${NODE_VERSION})`);
    return cached;
  }
  await mkdir(dir, { recursive: true });
  await rm(join(dir, 'manifest.json'), { force: true });
  const apt: AptState = { debianArch: arch.elf.debian, dir: join(dir, 'apt'), log };
  await ensureLists(apt);
  const debs = join(dir, 'debs');
  const kernelPackage = await resolveMetapackage(apt, arch.kernelMetapackage);
  const kernelDeb = await downloadDeb(apt, kernelPackage, debs);
  const libDebs: string[] = [];
  for (const pkg of LIBRARY_PACKAGES) libDebs.push(await downloadDeb(apt, pkg, debs));
  const busyboxDeb = await downloadDeb(apt, 'busybox-static', debs);
  const node = await fetchNode(arch, join(dir, 'node'), log);

  const kernel = await kernelFromDeb(kernelDeb, join(dir, 'kernel'), log);
  const libs = join(dir, 'libs');
  await rm(libs, { recursive: true, force: true });
  await mkdir(libs);
  // Libraries only: no docs, no config, no gconv modules (Node needs none of them).
  for (const deb of libDebs) await extractDeb(deb, libs, [], ['./usr/share', './etc', '*/gconv']);
  if (!(await lstat(join(libs, arch.loader)).catch(() => undefined))) throw new VmError(`libc6 (${arch.elf.debian}) has no ${arch.loader}`);
  const busybox = join(dir, 'busybox');
  await busyboxFromDeb(busyboxDeb, arch, busybox);

  const parts = { kernelVersion: kernel.version, vmlinuz: kernel.vmlinuz, modules: kernel.modules, node, libs, busybox, busyboxDeb };
  const rel = (p: string): string => relative(dir, p);
  const manifestParts = { ...parts, vmlinuz: rel(parts.vmlinuz), modules: parts.modules.map(rel), node: rel(node), libs: rel(libs), busybox: rel(busybox), busyboxDeb: rel(busyboxDeb) };
  const sha256: Record<string, string> = {};
  for (const file of await partFiles(dir, manifestParts)) sha256[file] = await sha256File(join(dir, file));
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify({ parts: manifestParts, sha256 }, null, 2)}\n`);
  log(`parts for ${arch.name} ready in ${dir}`);
  return { dir, ...parts };
}
