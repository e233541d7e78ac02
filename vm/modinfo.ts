// Kernel modules without kmod: the kernel's .ko files are ELF relocatable objects whose
// ".modinfo" section holds NUL-separated "key=value" strings (include/linux/moduleparam.h,
// MODULE_INFO); "depends=a,b" lists the modules that must be loaded first. Debian's
// linux-image .deb ships no modules.dep (depmod makes it at install), so the load order
// is computed here from those strings. Pure functions: the reader lives in kernel.ts.

export class ModuleError extends Error {
  override name = 'ModuleError';
}

const ELF_MAGIC = 0x464c457f; // "\x7fELF", little-endian read

/** ELF64 little-endian only: the two VM architectures (x86-64, AArch64). */
export function modinfoSection(ko: Buffer, label: string): Map<string, string> {
  if (ko.length < 64 || ko.readUInt32LE(0) !== ELF_MAGIC || ko[4] !== 2 || ko[5] !== 1) {
    throw new ModuleError(`${label} is not a 64-bit little-endian ELF module`);
  }
  // ELF64 header: e_shoff at 0x28, e_shentsize 0x3a, e_shnum 0x3c, e_shstrndx 0x3e.
  const shoff = Number(ko.readBigUInt64LE(0x28));
  const shentsize = ko.readUInt16LE(0x3a);
  const shnum = ko.readUInt16LE(0x3c);
  const shstrndx = ko.readUInt16LE(0x3e);
  // Section header: sh_name u32 at 0, sh_offset u64 at 24, sh_size u64 at 32.
  const section = (i: number): { name: number; offset: number; size: number } => {
    const at = shoff + i * shentsize;
    if (at + 40 > ko.length) throw new ModuleError(`${label}: section header ${i} is outside the file`);
    return { name: ko.readUInt32LE(at), offset: Number(ko.readBigUInt64LE(at + 24)), size: Number(ko.readBigUInt64LE(at + 32)) };
  };
  const names = section(shstrndx);
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    const nameStart = names.offset + s.name;
    const name = ko.toString('latin1', nameStart, ko.indexOf(0, nameStart));
    if (name === '.modinfo') return parseModinfo(ko.subarray(s.offset, s.offset + s.size));
  }
  throw new ModuleError(`${label} has no .modinfo section`);
}

/** "key=value\0key=value\0…" → map (a repeated key such as alias keeps its first value). */
export function parseModinfo(section: Buffer): Map<string, string> {
  const info = new Map<string, string>();
  for (const entry of section.toString('latin1').split('\0')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const key = entry.slice(0, eq);
    if (!info.has(key)) info.set(key, entry.slice(eq + 1));
  }
  return info;
}

/** Module names use '_' where file names may use '-' (virtio-rng.ko is virtio_rng). */
export function moduleName(path: string): string {
  return (path.split('/').at(-1) ?? path).replace(/\.ko(\.(xz|zst|gz))?$/, '').replaceAll('-', '_');
}

export interface ModuleSource {
  /** Module name → its path in the kernel tree. */
  paths: ReadonlyMap<string, string>;
  /** Names in modules.builtin: compiled into the kernel, nothing to load. */
  builtin: ReadonlySet<string>;
  /** The "depends" of a module, by path. */
  depends(path: string): string[];
}

/**
 * The paths to insmod, dependencies first, for `wanted` (builtin ones are skipped).
 * Throws naming a module that is neither built in nor shipped.
 */
export function loadOrder(wanted: readonly string[], source: ModuleSource): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string, neededBy: string | undefined): void => {
    if (done.has(name) || source.builtin.has(name)) return;
    if (visiting.has(name)) throw new ModuleError(`module dependency cycle through ${name}`);
    const path = source.paths.get(name);
    if (!path) throw new ModuleError(`kernel module ${name}${neededBy ? ` (needed by ${neededBy})` : ''} is neither built in nor in the kernel package`);
    visiting.add(name);
    for (const dep of source.depends(path)) visit(dep, name);
    visiting.delete(name);
    done.add(name);
    order.push(path);
  };
  for (const name of wanted) visit(name, undefined);
  return order;
}

/** modules.builtin ("kernel/fs/ext4/ext4.ko" per line) → names. */
export function parseModulesBuiltin(text: string): Set<string> {
  return new Set(text.split('\n').filter(Boolean).map(moduleName));
}

/** The "depends=" value → names ("" → none). */
export function dependsOf(info: ReadonlyMap<string, string>): string[] {
  return (info.get('depends') ?? '').split(',').filter(Boolean).map((n) => n.replaceAll('-', '_'));
}
