// The guest kernel from Debian's linux-image-<version>-<arch> package: its vmlinuz and
// the few modules the initramfs must load to reach the disks and the network (Debian
// builds virtio, squashfs and ext4 as modules; modules.builtin says which are built in).
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { extractDeb } from './deb-extract.js';
import { VmError } from './errors.js';
import { dependsOf, loadOrder, modinfoSection, moduleName, parseModulesBuiltin } from './modinfo.js';

/**
 * What the initramfs loads: virtio PCI transport, disks, network, the entropy source
 * (Node's getrandom must not wait for the entropy pool under TCG), the root and /perm
 * file systems; crc32c_generic because ext4 asks the crypto API for "crc32c" by name,
 * which would otherwise need a modprobe helper that the initramfs does not have.
 */
export const WANTED_MODULES = ['virtio_pci', 'virtio_blk', 'virtio_net', 'virtio_rng', 'squashfs', 'crc32c_generic', 'ext4'];

export interface KernelParts {
  version: string;
  vmlinuz: string;
  /** Module files to insmod, in order. */
  modules: string[];
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.name.endsWith('.ko')) out.push(path);
  }
  return out;
}

/** Unpacks `deb` in a temp dir under `into`, keeps vmlinuz and the needed modules there. */
export async function kernelFromDeb(deb: string, into: string, log: (line: string) => void): Promise<KernelParts> {
  await mkdir(into, { recursive: true });
  const tmp = await mkdtemp(join(into, 'unpack-'));
  try {
    log(`unpacking ${deb}`);
    await extractDeb(deb, tmp, ['./boot/vmlinuz-*', './lib/modules/*']);
    const kernels = (await readdir(join(tmp, 'boot'))).filter((n) => n.startsWith('vmlinuz-'));
    if (kernels.length !== 1) throw new VmError(`${deb}: expected one boot/vmlinuz-*, found ${kernels.join(', ') || 'none'}`);
    const version = kernels[0]!.slice('vmlinuz-'.length);
    const tree = join(tmp, 'lib', 'modules', version);
    const builtin = parseModulesBuiltin(await readFile(join(tree, 'modules.builtin'), 'utf8'));
    const paths = new Map((await walk(join(tree, 'kernel'))).map((p) => [moduleName(p), p] as const));
    const infos = new Map<string, string[]>();
    const depends = (path: string): string[] => infos.get(path) ?? [];
    // loadOrder is synchronous: read the .modinfo of each module it may visit first.
    const pending = [...WANTED_MODULES];
    while (pending.length) {
      const name = pending.pop()!;
      const path = paths.get(name);
      if (!path || builtin.has(name) || infos.has(path)) continue;
      const deps = dependsOf(modinfoSection(await readFile(path), relative(tmp, path)));
      infos.set(path, deps);
      pending.push(...deps);
    }
    const order = loadOrder(WANTED_MODULES, { paths, builtin, depends });
    const modulesDir = join(into, 'modules');
    await rm(modulesDir, { recursive: true, force: true });
    await mkdir(modulesDir);
    const modules: string[] = [];
    for (const [i, path] of order.entries()) {
      const target = join(modulesDir, `${String(i).padStart(2, '0')}-${moduleName(path)}.ko`);
      await copyFile(path, target);
      modules.push(target);
    }
    const vmlinuz = join(into, 'vmlinuz');
    await copyFile(join(tmp, 'boot', kernels[0]!), vmlinuz);
    await writeFile(join(into, 'version'), `${version}\n`);
    log(`kernel ${version}; modules to load: ${order.map(moduleName).join(' ') || 'none (all built in)'}`);
    return { version, vmlinuz, modules };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
