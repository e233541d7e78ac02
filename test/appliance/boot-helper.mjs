// The appliance's "bootloader". Runs on the HOST's node, already inside the appliance's
// network namespace and a fresh mount + UTS namespace (`ip netns exec NS unshare
// --mount --uts --propagation private node boot-helper.mjs CONFIG_JSON`). It does what
// a kernel and bootloader hand a gokrazy init, with the host's own tools (the
// appliance root has no shell and no mount binary; Node itself cannot call mount(2),
// sethostname(2) or chroot(2)):
//   hostname; / as a read-only bind (squashfs stand-in) with /perm writable, tmpfs on
//   /tmp and /run, sysfs of this netns, a minimal /dev; then `unshare --pid --fork
//   --mount-proc --root` makes `node /dist/breakglass-init.js` PID 1 of a new PID
//   namespace with /proc mounted for it. This process stays outside as the parent:
//   when it exits, its mount namespace, and with it every mount, disappears.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

const config = JSON.parse(process.argv[2]);
const { rootfs, perm, hostname, init, env } = config;

function run(file, args) {
  execFileSync(file, args, { stdio: ['ignore', 'inherit', 'inherit'] });
}

run('hostname', [hostname]);
// A bind of the tree onto itself is a mount point we can remount read-only.
run('mount', ['--bind', rootfs, rootfs]);
run('mount', ['--bind', perm, join(rootfs, 'perm')]);
run('mount', ['-t', 'tmpfs', '-o', 'mode=1777,nosuid,nodev,size=256m', 'tmpfs', join(rootfs, 'tmp')]);
run('mount', ['-t', 'tmpfs', '-o', 'mode=755,nosuid,nodev,size=16m', 'tmpfs', join(rootfs, 'run')]);
run('mount', ['-t', 'sysfs', '-o', 'ro,nosuid,nodev,noexec', 'sysfs', join(rootfs, 'sys')]);
// A minimal /dev: a tmpfs with the host's character devices bound in (devtmpfs would
// show every host device).
const dev = join(rootfs, 'dev');
run('mount', ['-t', 'tmpfs', '-o', 'mode=755,nosuid,size=64k', 'tmpfs', dev]);
for (const node of ['null', 'zero', 'full', 'random', 'urandom', 'tty', 'kmsg']) {
  closeSync(openSync(join(dev, node), 'w'));
  try {
    run('mount', ['--bind', `/dev/${node}`, join(dev, node)]);
  } catch {
    // /dev/kmsg may be missing in a container: dmesg then says so.
  }
}
mkdirSync(join(dev, 'pts'));
// A private devpts instance, as gokrazy's init mounts one: ptys for programs on a
// terminal (src/pty), invisible to the host's.
run('mount', ['-t', 'devpts', '-o', 'newinstance,ptmxmode=0666,mode=0620,nosuid,noexec', 'devpts', join(dev, 'pts')]);
symlinkSync('pts/ptmx', join(dev, 'ptmx'));
mkdirSync(join(dev, 'shm'));
for (const [name, target] of [['fd', '/proc/self/fd'], ['stdin', '/proc/self/fd/0'], ['stdout', '/proc/self/fd/1'], ['stderr', '/proc/self/fd/2']]) {
  symlinkSync(target, join(dev, name));
}
run('mount', ['-o', 'remount,bind,ro', dev]);
run('mount', ['-o', 'remount,bind,ro', rootfs]);

const child = spawn(
  'unshare',
  ['--pid', '--fork', '--kill-child', '--mount-proc=/proc', `--root=${rootfs}`, '--wd=/', ...init],
  { stdio: 'inherit', env },
);
const forward = (signal) => child.kill(signal);
process.on('SIGTERM', () => forward('SIGTERM'));
process.on('SIGINT', () => forward('SIGINT'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
// If the test runner dies without tearing down (SIGKILL), we are re-parented: power off.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) {
    child.kill('SIGKILL');
    process.exit(1);
  }
}, 500);
