// Booting the appliance under QEMU. The command line is a pure function (qemuArgs); the
// rest is the process: its own process group (the terminal's ^C is ours to handle),
// serial console to a file, SIGTERM (QEMU exits at once, like pulling the plug; /perm's
// ext4 journal copes) then SIGKILL after a grace period.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import type { VmArch } from './arch.js';
import { VmError } from './errors.js';

export interface QemuOptions {
  arch: VmArch;
  kvm: boolean;
  kernel: string;
  initramfs: string;
  rootImage: string;
  permImage: string;
  serialLog: string;
  /** QEMU writes its PID here (a later run stops a VM left behind: stopLeftover). */
  pidFile?: string;
  httpPort: number;
  sshPort: number;
  memoryMiB: number;
  cpus: number;
}

/**
 * The guest reaches nothing: user networking with restrict=on (no route out of slirp,
 * not even to the host), and only the two forwards in, bound to the host's loopback.
 */
export function netdevSpec(httpPort: number, sshPort: number): string {
  return `user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:${httpPort}-:80,hostfwd=tcp:127.0.0.1:${sshPort}-:22`;
}

export function kernelCommandLine(arch: VmArch): string {
  // panic=-1: a failing /init (or PID 1 exiting) reboots at once, which -no-reboot turns into QEMU exiting.
  return `console=${arch.console} panic=-1 rdinit=/init loglevel=4`;
}

export function qemuArgs(o: QemuOptions): string[] {
  return [
    ...o.arch.machineArgs(o.kvm),
    '-accel', o.kvm ? 'kvm' : 'tcg',
    '-m', String(o.memoryMiB),
    '-smp', String(o.cpus),
    '-nodefaults', '-display', 'none', '-no-reboot',
    '-serial', `file:${o.serialLog}`,
    ...(o.pidFile ? ['-pidfile', o.pidFile] : []),
    '-kernel', o.kernel,
    '-initrd', o.initramfs,
    '-append', kernelCommandLine(o.arch),
    '-drive', `if=none,id=root,file=${o.rootImage},format=raw,readonly=on`,
    '-device', 'virtio-blk-pci,drive=root',
    '-drive', `if=none,id=perm,file=${o.permImage},format=raw`,
    '-device', 'virtio-blk-pci,drive=perm',
    '-netdev', netdevSpec(o.httpPort, o.sshPort),
    '-device', 'virtio-net-pci,netdev=n0',
    '-device', 'virtio-rng-pci',
  ];
}

/** Why KVM cannot be used for `arch` here, or undefined when it can (/dev/kvm opens read-write). */
export function kvmUnavailable(arch: VmArch): string | undefined {
  if (process.arch !== arch.hostArch) return `an ${arch.name} guest on an ${process.arch} host runs under TCG only`;
  try {
    closeSync(openSync('/dev/kvm', constants.O_RDWR));
    return undefined;
  } catch (err) {
    return `/dev/kvm is not usable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
}

/**
 * A QEMU that an earlier, killed run left running still holds the disk images (QEMU
 * locks them): SIGTERM it when its PID file names a QEMU using `imageDir`'s files.
 */
export async function stopLeftover(pidFile: string, imageDir: string): Promise<boolean> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  await rm(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 1) return false;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!/qemu-system-/.test(cmdline) || !cmdline.includes(imageDir)) return false;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined)) !== undefined; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

export interface RunningVm {
  process: ChildProcess;
  startedAt: number;
  /** The serial console so far. */
  serial(): Promise<string>;
  /** Resolves with the match once the serial log shows `pattern`; rejects when QEMU exits or on timeout. */
  waitForSerial(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  stop(graceMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const STACK_DUMP = /^\[\s*\d+\.\d+\]\s+(\s|\?|RIP|RSP|RAX|RDX|RBP|R\d|Code:|CPU:|Hardware name|Call Trace|<\/?TASK>|Kernel Offset)/;

/** The console's last lines without the register and stack dump of a panic (pure). */
export function consoleTail(text: string, lines = 25): string {
  return text.split('\n').filter((l) => !STACK_DUMP.test(l)).slice(-lines).join('\n');
}

export function startQemu(options: QemuOptions): RunningVm {
  const binary = options.arch.qemuBinary;
  const child = spawn(binary, qemuArgs(options), { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  const startedAt = Date.now();
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    if (stderr.length < 16 * 1024) stderr += c.toString();
  });
  let exitedWith: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', (err) => {
      spawnError = (err as NodeJS.ErrnoException).code === 'ENOENT' ? new VmError(`${binary} not found: install it with apt-get install ${options.arch.qemuPackage}`) : err;
      exitedWith = { code: null, signal: null };
      resolve(exitedWith);
    });
    child.once('exit', (code, signal) => {
      exitedWith = { code, signal };
      resolve(exitedWith);
    });
  });
  const serial = (): Promise<string> => readFile(options.serialLog, 'utf8').catch(() => '');
  const waitForSerial = async (pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = await serial();
      const match = text.match(pattern);
      if (match) return match;
      if (spawnError) throw spawnError;
      if (exitedWith) {
        throw new VmError(`${binary} exited (${exitedWith.code ?? exitedWith.signal}) before the serial console showed ${pattern}\n${stderr.trim()}\n--- serial console (${options.serialLog}), last lines:\n${consoleTail(text)}`);
      }
      if (Date.now() > deadline) throw new VmError(`no ${pattern} on the serial console within ${Math.round(timeoutMs / 1000)} s; see ${options.serialLog}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const stop = async (graceMs = 10_000): Promise<void> => {
    if (exitedWith) return;
    const kill = (signal: NodeJS.Signals): void => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // gone already
      }
    };
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { process: child, startedAt, serial, waitForSerial, stop, exited };
}
