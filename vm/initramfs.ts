// The initramfs: the part of boot that gokrazy's Go init does in process and Node cannot
// (no mount(2), no switch_root, no netlink without native add-ons). A static busybox of
// the guest's architecture runs /init below, which
//   1. mounts /proc, /sys and /dev (devtmpfs) and loads the kernel modules in order,
//   2. mounts the squashfs root read-only (/dev/vda) and /perm (ext4, /dev/vdb), a tmpfs
//      on /tmp and /run and devpts, as the namespace harness (test/appliance) does,
//   3. sets the hostname and brings up lo and eth0 with QEMU user networking's fixed
//      address (10.0.2.15/24, gateway 10.0.2.2: QEMU's slirp hands these out by DHCP,
//      which the appliance does not run),
//   4. switch_root: PID 1 becomes `node /dist/breakglass-init.js` on the squashfs root,
//      and the initramfs (busybox with it) is freed. The root never holds a shell.
// If a step fails /init says which and exits: the kernel panics, and with panic=-1 and
// QEMU's -no-reboot the VM stops, so `npm run vm` reports it instead of hanging.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CpioEntry } from './cpio.js';
import { writeCpio } from './cpio.js';

export const GUEST_ADDRESS = '10.0.2.15';
export const GUEST_GATEWAY = '10.0.2.2';
/** argv of PID 1 after switch_root. */
export const INIT_COMMAND = ['/usr/bin/node', '/dist/breakglass-init.js', '--config', '/etc/breakglass-init.json'];
/** The environment PID 1 starts with (as test/appliance gives it). */
export const INIT_ENV = { PATH: '/user:/usr/bin', HOME: '/perm', LANG: 'C.UTF-8' };

export interface InitScriptOptions {
  hostname: string;
  /** Module file names under /lib/modules, in load order. */
  modules: string[];
}

/** /init for busybox sh. Pure: the tests read it, the initramfs carries it. */
export function initScript(options: InitScriptOptions): string {
  const env = Object.entries(INIT_ENV).map(([k, v]) => `${k}=${v}`).join(' ');
  return `#!/bin/busybox sh
# breakglass VM initramfs (vm/initramfs.ts): mount, load, network, then switch_root to
# breakglass-init as PID 1 on the read-only squashfs root.
/bin/busybox mkdir -p /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
die() { echo "initramfs: $*; stopping" >/dev/console; exit 1; }
mount -t proc -o nosuid,nodev,noexec proc /proc || die "cannot mount /proc"
mount -t sysfs -o nosuid,nodev,noexec sysfs /sys || die "cannot mount /sys"
mount -t devtmpfs -o nosuid,mode=755 devtmpfs /dev || die "cannot mount /dev"
for m in ${options.modules.join(' ')}; do
  insmod /lib/modules/$m || die "insmod $m failed"
done
i=0
while [ ! -b /dev/vda ] || [ ! -b /dev/vdb ]; do
  i=$((i + 1)); [ $i -gt 300 ] && die "no /dev/vda (root) and /dev/vdb (perm) after 30 s"
  sleep 0.1
done
mount -t squashfs -o ro /dev/vda /newroot || die "cannot mount the squashfs root /dev/vda"
mount -t ext4 -o rw,nosuid,nodev /dev/vdb /newroot/perm || die "cannot mount /perm (ext4 on /dev/vdb)"
mount -t tmpfs -o mode=1777,nosuid,nodev,size=256m tmpfs /newroot/tmp || die "cannot mount /tmp"
mount -t tmpfs -o mode=755,nosuid,nodev,size=16m tmpfs /newroot/run || die "cannot mount /run"
hostname ${options.hostname}
ip link set lo up || die "cannot bring up lo"
ip link set eth0 up || die "no eth0 (virtio_net)"
ip addr add ${GUEST_ADDRESS}/24 dev eth0 || die "cannot address eth0"
ip route add default via ${GUEST_GATEWAY} || die "cannot add the default route"
mount --move /dev /newroot/dev || die "cannot move /dev"
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts -o ptmxmode=0666,mode=0620,nosuid,noexec devpts /newroot/dev/pts || die "cannot mount devpts"
mount --move /sys /newroot/sys || die "cannot move /sys"
mount --move /proc /newroot/proc || die "cannot move /proc"
echo "initramfs: switching to ${INIT_COMMAND.join(' ')}" >/dev/console
exec env -i ${env} /bin/busybox switch_root /newroot ${INIT_COMMAND.join(' ')}
`;
}

/** gzip'd newc archive: /init, /bin/busybox, /lib/modules/*.ko, /dev/console. */
export async function buildInitramfs(busybox: string, modules: string[], hostname: string): Promise<Buffer> {
  const names = modules.map((m) => basename(m));
  const entries: CpioEntry[] = [
    { name: 'bin', type: 'dir', mode: 0o755 },
    { name: 'bin/busybox', type: 'file', mode: 0o755, data: await readFile(busybox) },
    // The kernel opens /dev/console for /init's stdio before anything is mounted.
    { name: 'dev', type: 'dir', mode: 0o755 },
    { name: 'dev/console', type: 'char', mode: 0o600, major: 5, minor: 1 },
    { name: 'lib', type: 'dir', mode: 0o755 },
    { name: 'lib/modules', type: 'dir', mode: 0o755 },
    ...(await Promise.all(modules.map(async (m, i) => ({ name: `lib/modules/${names[i]}`, type: 'file' as const, mode: 0o644, data: await readFile(m) })))),
    { name: 'newroot', type: 'dir', mode: 0o755 },
    { name: 'proc', type: 'dir', mode: 0o755 },
    { name: 'sys', type: 'dir', mode: 0o755 },
    { name: 'init', type: 'file', mode: 0o755, data: Buffer.from(initScript({ hostname, modules: names })) },
  ];
  return gzipSync(writeCpio(entries));
}
