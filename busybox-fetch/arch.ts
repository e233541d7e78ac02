// Architectures busybox-fetch knows: Go's GOARCH names (what gokrazy reports in
// X-Gokrazy-GOARCH) and Debian's, with the ELF identity a binary for each must have
// (e_machine values from the System V gABI / elf.h).

export interface Arch {
  goarch: string;
  /** Debian architecture of the busybox-static package. */
  debian: string;
  /** ELF e_machine. */
  machine: number;
  machineName: string;
  elfClass: 32 | 64;
}

const EM_386 = 3;
const EM_ARM = 40;
const EM_X86_64 = 62;
const EM_AARCH64 = 183;
const EM_RISCV = 243;

const ARCHES: Arch[] = [
  { goarch: 'amd64', debian: 'amd64', machine: EM_X86_64, machineName: 'x86-64', elfClass: 64 },
  { goarch: 'arm64', debian: 'arm64', machine: EM_AARCH64, machineName: 'aarch64', elfClass: 64 },
  // Debian armhf is ARMv7 hard-float (Raspberry Pi 2 and later); armel runs on ARMv5/v6.
  { goarch: 'arm', debian: 'armhf', machine: EM_ARM, machineName: 'arm', elfClass: 32 },
  { goarch: '386', debian: 'i386', machine: EM_386, machineName: 'i386', elfClass: 32 },
  { goarch: 'riscv64', debian: 'riscv64', machine: EM_RISCV, machineName: 'riscv', elfClass: 64 },
];

const ALIASES: Record<string, Arch> = {
  armel: { ...ARCHES[2]!, debian: 'armel' },
  x86_64: ARCHES[0]!,
  aarch64: ARCHES[1]!,
};

export const VALID_ARCH_NAMES = ['amd64', 'arm64', 'arm', '386', 'riscv64', 'armhf', 'armel', 'i386'];

/** GOARCH or Debian name → Arch; undefined when unknown. */
export function lookupArch(name: string): Arch | undefined {
  const lower = name.toLowerCase();
  return ARCHES.find((a) => a.goarch === lower || a.debian === lower) ?? ALIASES[lower];
}

export function machineName(machine: number): string {
  return ARCHES.find((a) => a.machine === machine)?.machineName ?? `e_machine ${machine}`;
}
