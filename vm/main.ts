// Entry point of `npm run vm` (README "Booting a real appliance under QEMU"): builds the
// appliance for --arch from fetched parts, boots it, prints how to reach it and stops
// QEMU cleanly on ^C (or SIGTERM).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UsageError, messageOf } from '../src/common/errors.js';
import { formatHelp, parseFlags } from '../src/common/flags.js';
import type { FlagSpec } from '../src/common/flags.js';
import { fetchBusybox } from '../busybox-fetch/fetch.js';
import { WEB_UI_READY, bootAppliance, buildAppliance, defaultCacheDir } from './appliance.js';
import { VM_ARCH_NAMES, lookupVmArch } from './arch.js';
import { VmError } from './errors.js';
import { missingToolMessage } from './tools.js';

const FLAGS: FlagSpec[] = [
  { name: 'arch', kind: 'string', valueName: 'ARCH', help: `guest architecture: ${VM_ARCH_NAMES.join(' or ')} (arm64: the Raspberry Pi's, always emulated on an x86 host)` },
  { name: 'cache', kind: 'string', valueName: 'DIR', help: 'where fetched parts and the instance (images, /perm, serial log) are kept (default: .cache/vm)' },
  { name: 'keep', kind: 'boolean', help: 'reuse the root image and initramfs of the last run instead of rebuilding them from dist/' },
  { name: 'reset-perm', kind: 'boolean', help: 'start with a fresh /perm (new host key, new password)' },
  { name: 'memory', kind: 'string', valueName: 'MiB', help: 'guest memory (default: 512)' },
  { name: 'cpus', kind: 'string', valueName: 'N', help: 'guest CPUs (default: 2)' },
  { name: 'no-kvm', kind: 'boolean', help: 'use TCG even when /dev/kvm is usable' },
  { name: 'hostname', kind: 'string', valueName: 'NAME', help: 'the appliance hostname (default: breakglass-vm)' },
];

const DESCRIPTION = `Builds a shell-less appliance as users have it — a Debian kernel, an initramfs that
mounts a read-only squashfs root (node, dist/*.js, /etc) and an ext4 /perm, then
switch_roots to breakglass-init as PID 1 — and boots it under QEMU (KVM when /dev/kvm is
usable, TCG otherwise). The web UI (guest port 80) and SSH (22) are forwarded to free
127.0.0.1 ports only; the guest reaches nothing else (user networking, restrict=on).
Parts are fetched once per architecture with apt-get (private state) and npm, and
re-used while their SHA-256 sums match. /perm persists across runs; the toolbox does not.`;

/** dist/vm.js → the repository. */
const REPO = resolve(dirname(process.argv[1] ?? '.'), '..');

const say = (line: string): void => void process.stderr.write(`vm: ${line}\n`);

function positiveInt(value: unknown, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${flag} expects a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

/** A client key for this instance (authorized in the guest), made once. */
function clientKey(dir: string): string {
  const key = join(dir, 'id_ed25519');
  if (!existsSync(key)) {
    try {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'breakglass-vm', '-f', key], { stdio: 'inherit' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new VmError(missingToolMessage('ssh-keygen'));
      throw err;
    }
  }
  return key;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, FLAGS, { maxPositionals: 0 });
  if (values.help) {
    process.stdout.write(formatHelp('npm run vm -- --arch amd64|arm64 [--keep] [--reset-perm] [--memory MiB] [--cpus N] [--no-kvm]', DESCRIPTION, FLAGS));
    return 0;
  }
  const archName = values.arch as string | undefined;
  if (!archName) throw new UsageError(`--arch is required: ${VM_ARCH_NAMES.join(' or ')}`);
  const arch = lookupVmArch(archName);
  if (!arch) throw new UsageError(`unknown --arch ${JSON.stringify(archName)} (valid: ${VM_ARCH_NAMES.join(', ')})`);
  const hostname = (values.hostname as string | undefined) ?? 'breakglass-vm';
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(hostname)) throw new UsageError(`--hostname ${JSON.stringify(hostname)} is not a host name (letters, digits, -)`);
  const cacheDir = resolve((values.cache as string | undefined) ?? defaultCacheDir(REPO));
  const instanceDir = join(cacheDir, arch.name, 'instance');
  if (values['reset-perm']) {
    await rm(join(instanceDir, 'perm.ext4'), { force: true });
    await rm(join(instanceDir, 'gokr-pw.txt'), { force: true });
  }
  await mkdir(instanceDir, { recursive: true });
  const key = clientKey(instanceDir);
  const built = await buildAppliance({
    arch, cacheDir, instanceDir, hostname, distDir: join(REPO, 'dist'),
    authorizedKeys: await readFile(`${key}.pub`, 'utf8'),
    keepImages: values.keep === true,
    log: say,
  });
  // The toolbox tarball as busybox-fetch makes it, from the busybox-static .deb already fetched.
  const tarball = join(cacheDir, arch.name, `debug-${arch.name}.tar`);
  await fetchBusybox({ arch: arch.elf, out: tarball, deb: built.parts.busyboxDeb, log: say });
  const booted = await bootAppliance(built, {
    memoryMiB: positiveInt(values.memory, 'memory', 512),
    cpus: positiveInt(values.cpus, 'cpus', 2),
    ...(values['no-kvm'] ? { kvm: false } : {}),
    log: say,
  });
  const { vm } = booted;
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    say('stopping the VM');
    void vm.stop();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  say(`booting ${arch.name} (${booted.kvm ? 'KVM' : 'TCG'}); serial console: ${booted.serialLog}`);
  try {
    await vm.waitForSerial(WEB_UI_READY, booted.kvm ? 120_000 : 600_000);
  } catch (err) {
    if (stopping) return 130;
    await vm.stop();
    throw err;
  }
  const seconds = ((Date.now() - vm.startedAt) / 1000).toFixed(1);
  const password = (await readFile(built.passwordFile, 'utf8')).trim();
  process.stderr.write(
    [
      '',
      `  ${arch.name} appliance "${hostname}" is up after ${seconds} s (kernel ${built.parts.kernelVersion}, ${booted.kvm ? 'KVM' : 'TCG'})`,
      `  web UI: http://127.0.0.1:${booted.httpPort}/  user gokrazy, password ${password}`,
      `  SSH:    127.0.0.1 port ${booted.sshPort} (breakglassd starts on demand through the web UI)`,
      `  open a session (uploads busybox-fetch's ${arch.name} toolbox: busybox, sh):`,
      `    node dist/breakglass.js --http-port ${booted.httpPort} --ssh-port ${booted.sshPort} --password-file ${built.passwordFile} \\`,
      `      --identity ${key} --debug-tarball-pattern ${tarball} 127.0.0.1`,
      '  press ^C to stop the VM (/perm is kept; the toolbox, on tmpfs, is not)',
      '',
      '',
    ].join('\n'),
  );
  const exit = await vm.exited;
  if (stopping) {
    say('VM stopped');
    return 0;
  }
  throw new VmError(`QEMU exited by itself (${exit.code ?? exit.signal}); see ${booted.serialLog}`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    say(messageOf(err));
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
