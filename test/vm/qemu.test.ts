import { describe, expect, it } from 'vitest';
import { lookupVmArch } from '../../vm/arch.js';
import type { VmArch } from '../../vm/arch.js';
import { consoleTail, kernelCommandLine, netdevSpec, qemuArgs } from '../../vm/qemu.js';

const amd64 = lookupVmArch('amd64')!;
const arm64 = lookupVmArch('aarch64')!;

function args(arch: VmArch, kvm: boolean): string[] {
  return qemuArgs({
    arch, kvm, kernel: '/k/vmlinuz', initramfs: '/k/initramfs', rootImage: '/i/root.squashfs', permImage: '/i/perm.ext4',
    serialLog: '/i/serial.log', httpPort: 8080, sshPort: 2222, memoryMiB: 512, cpus: 2,
  });
}

/** The value after each occurrence of `flag`. */
function values(argv: string[], flag: string): string[] {
  return argv.flatMap((a, i) => (a === flag ? [argv[i + 1]!] : []));
}

describe('qemuArgs', () => {
  it('forwards only the web UI and SSH, on the host loopback, with the guest cut off (restrict=on)', () => {
    expect(netdevSpec(8080, 2222)).toBe('user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=tcp:127.0.0.1:2222-:22');
    expect(values(args(amd64, false), '-netdev')).toEqual([netdevSpec(8080, 2222)]);
  });

  it('attaches the root read-only and /perm writable, both virtio', () => {
    const drives = values(args(arm64, false), '-drive');
    expect(drives).toEqual(['if=none,id=root,file=/i/root.squashfs,format=raw,readonly=on', 'if=none,id=perm,file=/i/perm.ext4,format=raw']);
    expect(values(args(arm64, false), '-device')).toEqual(['virtio-blk-pci,drive=root', 'virtio-blk-pci,drive=perm', 'virtio-net-pci,netdev=n0', 'virtio-rng-pci']);
  });

  it.each([
    [amd64, false, ['-M', 'q35', '-cpu', 'max'], 'tcg'],
    [amd64, true, ['-M', 'q35', '-cpu', 'host'], 'kvm'],
    [arm64, false, ['-M', 'virt', '-cpu', 'cortex-a72'], 'tcg'],
  ])('%s (kvm %s): machine and accelerator', (arch, kvm, machine, accel) => {
    const argv = args(arch, kvm);
    expect(argv.slice(0, 4)).toEqual(machine);
    expect(values(argv, '-accel')).toEqual([accel]);
  });

  it('serial console to the log file, no display, no reboot (a panic stops QEMU)', () => {
    const argv = args(amd64, false);
    expect(values(argv, '-serial')).toEqual(['file:/i/serial.log']);
    expect(argv).toContain('-no-reboot');
    expect(values(argv, '-append')).toEqual([kernelCommandLine(amd64)]);
    expect(kernelCommandLine(amd64)).toMatch(/^console=ttyS0 panic=-1 /);
    expect(kernelCommandLine(arm64)).toMatch(/^console=ttyAMA0 /);
  });
});

describe('consoleTail', () => {
  it("drops a panic's register and stack dump, keeps what /init said", () => {
    const text = [
      'initramfs: cannot mount /perm (ext4 on /dev/vdb); stopping',
      '[    4.829941] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100',
      '[    4.830520] CPU: 1 PID: 1 Comm: init Not tainted 6.1.0-57-amd64 #1',
      '[    4.830520] Call Trace:',
      '[    4.830520]  <TASK>',
      '[    4.830520]  dump_stack_lvl+0x44/0x5c',
      '[    4.830520] RIP: 0033:0x461189',
      '[    4.830520] Kernel Offset: 0x2d800000 from 0xffffffff81000000',
    ].join('\n');
    expect(consoleTail(text)).toBe(text.split('\n').slice(0, 2).join('\n'));
  });
});
