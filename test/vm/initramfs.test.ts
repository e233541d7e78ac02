import { describe, expect, it } from 'vitest';
import { INIT_COMMAND, initScript } from '../../vm/initramfs.js';

describe('initScript', () => {
  const script = initScript({ hostname: 'dev1', modules: ['00-virtio.ko', '01-virtio_pci.ko', '02-ext4.ko'] });

  it('loads the modules in the given order, then mounts the root read-only and /perm', () => {
    expect(script).toContain('for m in 00-virtio.ko 01-virtio_pci.ko 02-ext4.ko; do');
    const at = (text: string): number => {
      const i = script.indexOf(text);
      expect(i, text).toBeGreaterThan(-1);
      return i;
    };
    expect(at('insmod /lib/modules/$m')).toBeLessThan(at('mount -t squashfs -o ro /dev/vda /newroot'));
    expect(at('mount -t squashfs -o ro /dev/vda /newroot')).toBeLessThan(at('/dev/vdb /newroot/perm'));
    expect(at('mount -t tmpfs -o mode=1777')).toBeLessThan(at('exec env -i'));
  });

  it("configures QEMU user networking's fixed address and hands PID 1 to breakglass-init with a clean environment", () => {
    expect(script).toContain('ip addr add 10.0.2.15/24 dev eth0');
    expect(script).toContain('ip route add default via 10.0.2.2');
    expect(script).toContain('hostname dev1\n');
    expect(script.trim().split('\n').at(-1)).toBe(`exec env -i PATH=/user:/usr/bin HOME=/perm LANG=C.UTF-8 /bin/busybox switch_root /newroot ${INIT_COMMAND.join(' ')}`);
  });

  it('every step that can fail says what failed (die), so a broken boot is reported, not hung', () => {
    const mounts = script.split('\n').filter((l) => /^mount /.test(l));
    expect(mounts.length).toBeGreaterThanOrEqual(8);
    for (const line of mounts) expect(line, line).toMatch(/\|\| die "/);
  });
});
