// The errors a user meets first: no QEMU, no KVM, a package that cannot be fetched.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { downloadDeb } from '../../vm/apt.js';
import { lookupVmArch } from '../../vm/arch.js';
import { VmError } from '../../vm/errors.js';
import { kvmUnavailable, startQemu } from '../../vm/qemu.js';
import { missingToolMessage } from '../../vm/tools.js';

const amd64 = lookupVmArch('amd64')!;
const arm64 = lookupVmArch('arm64')!;

describe('clear errors', () => {
  it('no QEMU binary: names the Debian package to install', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bg-vm-err-'));
    try {
      const vm = startQemu({
        arch: { ...amd64, qemuBinary: join(dir, 'qemu-system-x86_64') }, kvm: false,
        kernel: 'k', initramfs: 'i', rootImage: 'r', permImage: 'p', serialLog: join(dir, 'serial.log'),
        httpPort: 1, sshPort: 2, memoryMiB: 64, cpus: 1,
      });
      const failure = vm.waitForSerial(/never/, 10_000);
      await expect(failure).rejects.toBeInstanceOf(VmError);
      await expect(failure).rejects.toThrow(/qemu-system-x86_64 not found: install it with apt-get install qemu-system-x86$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(missingToolMessage('mksquashfs')).toBe('mksquashfs not found: install it with apt-get install squashfs-tools');
  });

  it('no KVM: says why, so the caller falls back to TCG and prints it', () => {
    expect(kvmUnavailable(process.arch === 'arm64' ? amd64 : arm64)).toMatch(/runs under TCG only$/);
    const native = kvmUnavailable(process.arch === 'arm64' ? arm64 : amd64);
    if (native !== undefined) expect(native).toMatch(/^\/dev\/kvm is not usable \(E[A-Z]+\)$/);
  });

  it('a package apt cannot fetch is named in the error', async () => {
    // A private apt state with no lists: apt knows no package at all, without any network.
    const dir = await mkdtemp(join(tmpdir(), 'bg-vm-apt-'));
    try {
      const state = { debianArch: 'arm64', dir, log: (): void => undefined };
      await mkdir(join(dir, 'lists', 'partial'), { recursive: true });
      await mkdir(join(dir, 'cache', 'archives', 'partial'), { recursive: true });
      await expect(downloadDeb(state, 'linux-image-no-such-version', join(dir, 'debs'))).rejects.toThrow(
        /^cannot fetch Debian package linux-image-no-such-version \(arm64\): .*Unable to locate package/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
