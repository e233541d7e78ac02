// The appliance harness (issue 6): a shell-less root file system in a temp dir, booted
// the way a kernel and bootloader hand over to gokrazy's init — its own network
// namespace (veth 10.231.0.1 ↔ 10.231.0.2), mount, PID and UTS namespaces, read-only
// root, writable /perm, tmpfs /tmp and /run — with `node /dist/breakglass-init.js` as
// PID 1. Everything is torn down by `teardown()`, also after a failure.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmod, copyFile, link, mkdir, mkdtemp, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
export const REPO = resolve(import.meta.dirname, '../..');
const HELPER = join(import.meta.dirname, 'boot-helper.mjs');

export const NETNS = 'bg-appliance';
export const HOST_IF = 'bg-app-host';
export const HOST_ADDR = '10.231.0.1';
export const DEVICE_ADDR = '10.231.0.2';

/** One appliance's network: its namespace, the host end of the veth, a /24 of two addresses. */
export interface NetworkSpec {
  netns: string;
  /** At most 15 characters (IFNAMSIZ); the device end is named `${hostIf}-d` then eth0. */
  hostIf: string;
  hostAddr: string;
  deviceAddr: string;
}

/** The appliance of issue 6. Test files that run in parallel use other specs. */
export const APPLIANCE_NETWORK: NetworkSpec = { netns: NETNS, hostIf: HOST_IF, hostAddr: HOST_ADDR, deviceAddr: DEVICE_ADDR };
/** Where node lives inside the appliance. */
export const NODE_IN_ROOT = '/usr/bin/node';

async function sh(file: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync(file, args, { encoding: 'utf8' });
  return stdout;
}

/** Why the appliance test cannot run here, or undefined when it can. */
export async function applianceUnavailable(): Promise<string | undefined> {
  if (process.platform !== 'linux') return 'appliance test needs Linux namespaces';
  if (process.getuid?.() !== 0) return 'appliance test needs root (namespaces, veth, mounts)';
  for (const tool of ['ip', 'unshare', 'mount', 'hostname', 'ldd', 'ssh', 'sftp', 'ssh-keygen']) {
    try {
      await sh('which', [tool]);
    } catch {
      return `appliance test needs '${tool}' (apt-get install iproute2 util-linux openssh-client)`;
    }
  }
  try {
    await sh('unshare', ['--pid', '--fork', '--mount', '--uts', 'true']);
  } catch (err) {
    return `appliance test cannot create namespaces here: ${(err as Error).message.split('\n')[0]}`;
  }
  return undefined;
}

/** The shared libraries (and the dynamic loader) a binary needs, from ldd(1). */
export async function sharedLibraries(binary: string): Promise<string[]> {
  // A static node (ldd: "not a dynamic executable", exit 1) needs nothing else.
  const out = await sh('ldd', [binary]).catch(() => '');
  const libs: string[] = [];
  for (const line of out.split('\n')) {
    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)"
    const match = /(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line);
    if (match) libs.push(match[1]!);
  }
  return libs;
}

/** Hard link when possible (same file system: instant), else copy. */
async function place(source: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  // Libraries are often symlinks (ld-linux → ../lib/…): link the file itself.
  const real = await realpath(source);
  await link(real, target).catch(() => copyFile(real, target));
}

export interface RootfsOptions {
  hostname: string;
  /** /etc/breakglass-init.json */
  initConfig: unknown;
  authorizedKeys: string;
  /** Extra files: path inside the root → content. */
  files?: Record<string, string>;
  /** Copy dist/*.js (default true). */
  dist?: boolean;
}

/**
 * Builds the root file system: node + its libraries, dist/*.js, /etc files, empty
 * /perm /tmp /proc /sys /dev /run. Nothing else — no /bin, no shell.
 */
export async function buildRootfs(rootfs: string, options: RootfsOptions): Promise<void> {
  await mkdir(rootfs, { recursive: true });
  for (const dir of ['perm', 'tmp', 'proc', 'sys', 'dev', 'run', 'etc', 'dist', 'user']) await mkdir(join(rootfs, dir), { recursive: true });
  await place(process.execPath, join(rootfs, NODE_IN_ROOT));
  for (const lib of await sharedLibraries(process.execPath)) await place(lib, join(rootfs, lib));
  if (options.dist ?? true) {
    for (const name of await readdir(join(REPO, 'dist'))) {
      if (name.endsWith('.js')) await copyFile(join(REPO, 'dist', name), join(rootfs, 'dist', name));
    }
  }
  await writeFile(join(rootfs, 'etc', 'hostname'), `${options.hostname}\n`);
  await writeFile(join(rootfs, 'etc', 'breakglass-init.json'), `${JSON.stringify(options.initConfig, null, 2)}\n`);
  await writeFile(join(rootfs, 'etc', 'breakglass.authorized_keys'), options.authorizedKeys);
  for (const [path, content] of Object.entries(options.files ?? {})) {
    await mkdir(dirname(join(rootfs, path)), { recursive: true });
    await writeFile(join(rootfs, path), content);
  }
  await chmod(join(rootfs, 'tmp'), 0o1777);
}

export interface Network {
  teardown(): Promise<void>;
}

async function quiet(file: string, args: string[]): Promise<void> {
  await execFileAsync(file, args).catch(() => undefined);
}

/** Removes what a previous, killed run may have left (deleting the netns deletes the veth pair). */
export async function removeNetwork(spec: NetworkSpec = APPLIANCE_NETWORK): Promise<void> {
  await quiet('ip', ['netns', 'del', spec.netns]);
  await quiet('ip', ['link', 'del', spec.hostIf]);
}

/** netns + veth pair: host HOST_ADDR/24 ↔ device eth0 DEVICE_ADDR/24, lo up, default route via the host. */
export async function setupNetwork(spec: NetworkSpec = APPLIANCE_NETWORK): Promise<Network> {
  await removeNetwork(spec);
  const peer = `${spec.hostIf.slice(0, 13)}-d`;
  await sh('ip', ['netns', 'add', spec.netns]);
  try {
    await sh('ip', ['link', 'add', spec.hostIf, 'type', 'veth', 'peer', 'name', peer]);
    await sh('ip', ['link', 'set', peer, 'netns', spec.netns]);
    await sh('ip', ['addr', 'add', `${spec.hostAddr}/24`, 'dev', spec.hostIf]);
    await sh('ip', ['link', 'set', spec.hostIf, 'up']);
    await sh('ip', ['-n', spec.netns, 'link', 'set', peer, 'name', 'eth0']);
    await sh('ip', ['-n', spec.netns, 'addr', 'add', `${spec.deviceAddr}/24`, 'dev', 'eth0']);
    await sh('ip', ['-n', spec.netns, 'link', 'set', 'eth0', 'up']);
    await sh('ip', ['-n', spec.netns, 'link', 'set', 'lo', 'up']);
    await sh('ip', ['-n', spec.netns, 'route', 'add', 'default', 'via', spec.hostAddr]);
  } catch (err) {
    await removeNetwork(spec);
    throw err;
  }
  return { teardown: () => removeNetwork(spec) };
}

export interface Appliance {
  process: ChildProcess;
  /** Everything PID 1 (and the boot helper) wrote so far. */
  log(): string;
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Power off: the PID namespace dies with everything in it, mounts vanish. */
  stop(): Promise<void>;
  exited: Promise<number | null>;
}

export interface BootOptions {
  rootfs: string;
  /** Host directory bind-mounted writable on /perm; survives restarts. */
  perm: string;
  /** Network namespace to boot in (default: the issue-6 appliance's). */
  netns?: string;
  hostname: string;
  /** argv of PID 1 inside the root (default: node breakglass-init --config …). */
  init?: string[];
  env?: Record<string, string>;
}

export function bootAppliance(options: BootOptions): Appliance {
  const config = {
    rootfs: options.rootfs,
    perm: options.perm,
    hostname: options.hostname,
    init: options.init ?? [NODE_IN_ROOT, '/dist/breakglass-init.js', '--config', '/etc/breakglass-init.json'],
    env: options.env ?? { PATH: '/user:/usr/bin', HOME: '/perm', LANG: 'C.UTF-8' },
  };
  const child = spawn(
    'ip',
    ['netns', 'exec', options.netns ?? NETNS, 'unshare', '--mount', '--uts', '--propagation', 'private', process.execPath, HELPER, JSON.stringify(config)],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolvePromise) => child.once('exit', (code) => resolvePromise(code)));
  let done = false;
  void exited.then(() => (done = true));
  const waitForLog = (pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> => {
    const started = Date.now();
    return new Promise((resolvePromise, reject) => {
      const tick = (): void => {
        const match = output.match(pattern);
        if (match) return resolvePromise(match);
        if (done) return reject(new Error(`appliance exited while waiting for ${pattern}; log:\n${output}`));
        if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${pattern}; log:\n${output}`));
        setTimeout(tick, 25);
      };
      tick();
    });
  };
  const stop = async (): Promise<void> => {
    if (done) return;
    // The whole group: ip → unshare → helper → unshare --kill-child → PID 1.
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    await exited;
  };
  return { process: child, log: () => output, waitForLog, stop, exited };
}

/** A temp dir for one appliance run; `cleanup` removes it. */
export async function applianceDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'bg-appliance-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
