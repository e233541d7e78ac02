// Hand-made ELF images for tests: a header and program headers only (gABI layout),
// optionally with a PT_INTERP naming a loader. Test-only.

export interface FakeElf {
  elfClass: 32 | 64;
  littleEndian?: boolean;
  machine: number;
  interpreter?: string;
  /** Extra non-interp program headers (PT_LOAD) before the interp one. */
  loads?: number;
}

export function makeElf(spec: FakeElf): Buffer {
  const is64 = spec.elfClass === 64;
  const le = spec.littleEndian ?? true;
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const phnum = (spec.loads ?? 1) + (spec.interpreter !== undefined ? 1 : 0);
  const interp = spec.interpreter !== undefined ? Buffer.from(`${spec.interpreter}\0`, 'latin1') : Buffer.alloc(0);
  const interpOffset = ehsize + phnum * phentsize;
  const buf = Buffer.alloc(interpOffset + interp.length);
  const u16 = (v: number, off: number): number => (le ? buf.writeUInt16LE(v, off) : buf.writeUInt16BE(v, off));
  const u32 = (v: number, off: number): number => (le ? buf.writeUInt32LE(v, off) : buf.writeUInt32BE(v, off));
  const u64 = (v: number, off: number): number => (le ? buf.writeBigUInt64LE(BigInt(v), off) : buf.writeBigUInt64BE(BigInt(v), off));
  buf.write('\x7fELF', 0, 'latin1');
  buf[4] = is64 ? 2 : 1;
  buf[5] = le ? 1 : 2;
  buf[6] = 1; // EV_CURRENT
  u16(2, 16); // ET_EXEC
  u16(spec.machine, 18);
  u32(1, 20);
  if (is64) {
    u64(ehsize, 32); // e_phoff
    u16(ehsize, 52);
    u16(phentsize, 54);
    u16(phnum, 56);
  } else {
    u32(ehsize, 28);
    u16(ehsize, 40);
    u16(phentsize, 42);
    u16(phnum, 44);
  }
  for (let i = 0; i < phnum; i++) {
    const ph = ehsize + i * phentsize;
    const isInterp = spec.interpreter !== undefined && i === phnum - 1;
    u32(isInterp ? 3 : 1, ph); // PT_INTERP : PT_LOAD
    if (!isInterp) continue;
    if (is64) {
      u64(interpOffset, ph + 8);
      u64(interp.length, ph + 32);
    } else {
      u32(interpOffset, ph + 4);
      u32(interp.length, ph + 16);
    }
  }
  interp.copy(buf, interpOffset);
  return buf;
}
