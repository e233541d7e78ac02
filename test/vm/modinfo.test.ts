import { describe, expect, it } from 'vitest';
import { ModuleError, dependsOf, loadOrder, modinfoSection, moduleName, parseModinfo, parseModulesBuiltin } from '../../vm/modinfo.js';

/** A minimal ELF64 LE relocatable with a .modinfo and a .shstrtab section. */
function elfModule(modinfo: string): Buffer {
  const shstrtab = Buffer.from('\0.modinfo\0.shstrtab\0');
  const info = Buffer.from(modinfo);
  const dataStart = 64;
  const shoff = dataStart + info.length + shstrtab.length;
  const file = Buffer.alloc(shoff + 3 * 64);
  file.writeUInt32LE(0x464c457f, 0);
  file[4] = 2; // ELFCLASS64
  file[5] = 1; // little-endian
  file.writeBigUInt64LE(BigInt(shoff), 0x28);
  file.writeUInt16LE(64, 0x3a);
  file.writeUInt16LE(3, 0x3c);
  file.writeUInt16LE(2, 0x3e);
  info.copy(file, dataStart);
  shstrtab.copy(file, dataStart + info.length);
  const section = (i: number, name: number, offset: number, size: number): void => {
    const at = shoff + i * 64;
    file.writeUInt32LE(name, at);
    file.writeBigUInt64LE(BigInt(offset), at + 24);
    file.writeBigUInt64LE(BigInt(size), at + 32);
  };
  section(1, 1, dataStart, info.length);
  section(2, 10, dataStart + info.length, shstrtab.length);
  return file;
}

describe('modinfo', () => {
  it('reads depends= from the .modinfo section of an ELF module', () => {
    const ko = elfModule('license=GPL\0depends=mbcache,jbd2,crc16\0name=ext4\0');
    const info = modinfoSection(ko, 'ext4.ko');
    expect(info.get('name')).toBe('ext4');
    expect(dependsOf(info)).toEqual(['mbcache', 'jbd2', 'crc16']);
  });

  it('refuses what is not a 64-bit LE ELF, and a module without .modinfo', () => {
    expect(() => modinfoSection(Buffer.from('not an elf at all, just some text, long enough to have a header......'), 'x.ko')).toThrow(ModuleError);
    const noInfo = elfModule('');
    noInfo.writeUInt32LE(10, noInfo.readUInt32LE(0x28) + 64); // section 1 now named .shstrtab
    expect(() => modinfoSection(noInfo, 'y.ko')).toThrow(/no \.modinfo/);
  });

  it.each([
    ['kernel/drivers/char/hw_random/virtio-rng.ko', 'virtio_rng'],
    ['kernel/fs/ext4/ext4.ko', 'ext4'],
    ['kernel/fs/squashfs/squashfs.ko.xz', 'squashfs'],
  ])('moduleName(%s) = %s', (path, name) => expect(moduleName(path)).toBe(name));

  it('parseModinfo keeps the first of repeated keys and skips empty entries', () => {
    expect([...parseModinfo(Buffer.from('alias=a\0alias=b\0\0depends=\0'))]).toEqual([['alias', 'a'], ['depends', '']]);
    expect(dependsOf(new Map([['depends', '']]))).toEqual([]);
  });
});

describe('loadOrder', () => {
  const deps: Record<string, string[]> = {
    'k/ext4.ko': ['mbcache', 'jbd2', 'crc16'],
    'k/jbd2.ko': [],
    'k/mbcache.ko': [],
    'k/crc16.ko': [],
    'k/virtio_blk.ko': ['virtio', 'virtio_ring'],
    'k/virtio.ko': [],
    'k/virtio_ring.ko': [],
    'k/a.ko': ['b'],
    'k/b.ko': ['a'],
  };
  const paths = new Map(Object.keys(deps).map((p) => [moduleName(p), p] as const));
  const source = (builtin: string[]): Parameters<typeof loadOrder>[1] => ({ paths, builtin: new Set(builtin), depends: (p) => deps[p] ?? [] });

  it.each([
    [['ext4'], [], ['k/mbcache.ko', 'k/jbd2.ko', 'k/crc16.ko', 'k/ext4.ko']],
    [['virtio_blk', 'ext4'], ['virtio', 'virtio_ring', 'crc16'], ['k/virtio_blk.ko', 'k/mbcache.ko', 'k/jbd2.ko', 'k/ext4.ko']],
    [['ext4', 'jbd2'], ['ext4'], ['k/jbd2.ko']],
  ])('wanted %j with builtin %j loads %j', (wanted, builtin, order) => {
    expect(loadOrder(wanted, source(builtin))).toEqual(order);
  });

  it('names a module that is neither built in nor shipped, and who needs it', () => {
    const broken = { ...source([]), depends: (p: string) => (p === 'k/ext4.ko' ? ['nosuch'] : []) };
    expect(() => loadOrder(['ext4'], broken)).toThrow('kernel module nosuch (needed by ext4) is neither built in nor in the kernel package');
  });

  it('reports a cycle instead of recursing forever', () => {
    expect(() => loadOrder(['a'], source([]))).toThrow(/cycle/);
  });

  it('parseModulesBuiltin turns paths into names', () => {
    expect(parseModulesBuiltin('kernel/net/unix/unix.ko\nkernel/lib/zlib_inflate/zlib_inflate.ko\n')).toEqual(new Set(['unix', 'zlib_inflate']));
  });
});
