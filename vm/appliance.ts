// One VM appliance: parts from the per-architecture cache, then in its own directory the
// squashfs root, the initramfs, /perm (kept) and the serial log, booted under QEMU.
// `npm run vm` and test/vm use this same path.
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VmArch } from './arch.js';
import { VmError } from './errors.js';
import { buildInitramfs } from './initramfs.js';
import { ensureParts } from './parts.js';
import type { Parts } from './parts.js';
import { ensurePerm } from './perm.js';
import { freeLoopbackPort } from './ports.js';
import { kvmUnavailable, startQemu, stopLeftover } from './qemu.js';
import type { RunningVm } from './qemu.js';
import { buildSquashfs } from './rootfs.js';

/** Parts and instances live here, under the repository (gitignored). */
export function defaultCacheDir(repo: string): string {
  return join(repo, '.cache', 'vm');
}
/** The line breakglass-init prints once its web UI listens on the guest's address. */
export const WEB_UI_READY = /breakglass-init: web UI on 10\.0\.2\.15:80/;

export interface ApplianceOptions {
  arch: VmArch;
  /** Per-architecture parts go to `${cacheDir}/${arch}/parts`. */
  cacheDir: string;
  /** This appliance's images, /perm and serial log. */
  instanceDir: string;
  /** The built programs (the repository's dist/). */
  distDir: string;
  hostname: string;
  authorizedKeys: string;
  /** Reuse root.squashfs and initramfs when present. */
  keepImages?: boolean;
  log: (line: string) => void;
}

export interface BuiltAppliance {
  arch: VmArch;
  parts: Parts;
  dir: string;
  rootImage: string;
  initramfs: string;
  permImage: string;
  passwordFile: string;
  permCreated: boolean;
}

const exists = async (p: string): Promise<boolean> => (await stat(p).catch(() => undefined)) !== undefined;

export async function buildAppliance(o: ApplianceOptions): Promise<BuiltAppliance> {
  const parts = await ensureParts(o.arch, join(o.cacheDir, o.arch.name, 'parts'), o.log);
  await mkdir(o.instanceDir, { recursive: true });
  const rootImage = join(o.instanceDir, 'root.squashfs');
  const initramfs = join(o.instanceDir, 'initramfs.cpio.gz');
  if (!(o.keepImages && (await exists(rootImage)) && (await exists(initramfs)))) {
    const distDir = o.distDir;
    if (!(await readdir(distDir).catch((): string[] => [])).includes('breakglass-init.js')) throw new VmError(`${distDir}/breakglass-init.js is missing: run npm run build first`);
    o.log(`building ${rootImage}`);
    await buildSquashfs({ parts, distDir, hostname: o.hostname, authorizedKeys: o.authorizedKeys, staging: join(o.instanceDir, 'root-staging'), out: rootImage });
    await writeFile(initramfs, await buildInitramfs(parts.busybox, parts.modules, o.hostname));
  }
  const perm = await ensurePerm(o.instanceDir);
  if (perm.created) o.log(`created ${perm.image} (/perm, kept across boots)`);
  return { arch: o.arch, parts, dir: o.instanceDir, rootImage, initramfs, permImage: perm.image, passwordFile: perm.passwordFile, permCreated: perm.created };
}

export interface BootOptions {
  memoryMiB?: number;
  cpus?: number;
  /** Default: KVM when usable. */
  kvm?: boolean;
  httpPort?: number;
  sshPort?: number;
  log: (line: string) => void;
}

export interface BootedAppliance {
  vm: RunningVm;
  kvm: boolean;
  httpPort: number;
  sshPort: number;
  serialLog: string;
}

/** Starts QEMU; the caller waits for WEB_UI_READY on vm.waitForSerial. */
export async function bootAppliance(built: BuiltAppliance, o: BootOptions): Promise<BootedAppliance> {
  const noKvm = kvmUnavailable(built.arch);
  const kvm = o.kvm ?? noKvm === undefined;
  if (!kvm) o.log(`no KVM: ${noKvm ?? 'disabled'}; booting under TCG (software emulation, slower)`);
  const httpPort = o.httpPort ?? (await freeLoopbackPort());
  const sshPort = o.sshPort ?? (await freeLoopbackPort());
  const serialLog = join(built.dir, 'serial.log');
  const pidFile = join(built.dir, 'qemu.pid');
  if (await stopLeftover(pidFile, built.dir)) o.log(`stopped the VM an earlier run left running (${pidFile})`);
  await writeFile(serialLog, '');
  const vm = startQemu({
    arch: built.arch, kvm,
    kernel: built.parts.vmlinuz, initramfs: built.initramfs,
    rootImage: built.rootImage, permImage: built.permImage,
    serialLog, pidFile, httpPort, sshPort,
    memoryMiB: o.memoryMiB ?? 512, cpus: o.cpus ?? 2,
  });
  return { vm, kvm, httpPort, sshPort, serialLog };
}
