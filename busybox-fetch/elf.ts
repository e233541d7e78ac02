// Just enough of the ELF format (System V gABI, "ELF Header" and "Program Header")
// to say what machine a binary is for and whether it needs a dynamic loader: a
// PT_INTERP program header names the interpreter (e.g. /lib/ld-linux-aarch64.so.1);
// a static binary has none.

export interface ElfInfo {
  elfClass: 32 | 64;
  littleEndian: boolean;
  /** e_type: 2 executable, 3 shared object / PIE. */
  type: number;
  machine: number;
  /** PT_INTERP contents, when the binary is dynamically linked. */
  interpreter?: string;
}

export class ElfError extends Error {
  override name = 'ElfError';
}

const PT_INTERP = 3;

export function readElf(data: Buffer): ElfInfo {
  if (data.length < 52 || data.readUInt32BE(0) !== 0x7f454c46) throw new ElfError('not an ELF file (no \\x7fELF magic)');
  const cls = data[4];
  if (cls !== 1 && cls !== 2) throw new ElfError(`bad ELF class ${cls}`);
  const le = data[5] === 1;
  if (data[5] !== 1 && data[5] !== 2) throw new ElfError(`bad ELF data encoding ${data[5]}`);
  const is64 = cls === 2;
  if (is64 && data.length < 64) throw new ElfError('truncated ELF header');
  const u16 = (off: number): number => (le ? data.readUInt16LE(off) : data.readUInt16BE(off));
  const u32 = (off: number): number => (le ? data.readUInt32LE(off) : data.readUInt32BE(off));
  const u64 = (off: number): number => {
    const v = le ? data.readBigUInt64LE(off) : data.readBigUInt64BE(off);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError('ELF offset out of range');
    return Number(v);
  };
  const info: ElfInfo = { elfClass: is64 ? 64 : 32, littleEndian: le, type: u16(16), machine: u16(18) };
  const phoff = is64 ? u64(32) : u32(28);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (ph + (is64 ? 56 : 32) > data.length) throw new ElfError(`program header ${i} lies outside the file`);
    if (u32(ph) !== PT_INTERP) continue;
    const offset = is64 ? u64(ph + 8) : u32(ph + 4);
    const size = is64 ? u64(ph + 32) : u32(ph + 16);
    if (offset + size > data.length) throw new ElfError('PT_INTERP lies outside the file');
    info.interpreter = data.subarray(offset, offset + size).toString('latin1').replace(/\0+$/, '');
  }
  return info;
}
