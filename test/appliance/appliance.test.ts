// Issue 6: the programs inside a realistic shell-less appliance, driven from the host
// exactly as a user would — the `breakglass` client, `ssh`, `sftp` — against
// 10.231.0.2 in the appliance's own network namespace. Runs as root with ip and
// unshare; skipped with one line otherwise. Everything is torn down in afterAll.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeKey, run } from '../helpers/server.js';
import type { KeyPair, RunResult } from '../helpers/server.js';
import { DEVICE_ADDR, HOST_ADDR, HOST_IF, NETNS, REPO, applianceDir, applianceUnavailable, bootAppliance, buildRootfs, setupNetwork } from './harness.js';
import type { Appliance, Network } from './harness.js';

const HOSTNAME = 'appliance';
/** GOARCH of this machine, as the init reports it and busybox-fetch takes it. */
const GOARCH = ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', riscv64: 'riscv64' } as Record<string, string>)[process.arch] ?? process.arch;
const unavailable = await applianceUnavailable();
if (unavailable) console.log(`skipping the appliance test: ${unavailable}`);

const INIT_CONFIG = {
  hostname: HOSTNAME,
  http: { listen: 'private', port: 80 },
  services: [
    {
      path: '/user/breakglass',
      command: ['/usr/bin/node', '/dist/breakglassd.js', '--listen', 'private'],
      dontStart: true,
    },
  ],
};

describe.skipIf(unavailable !== undefined)('the appliance: a shell-less device in its own namespaces', () => {
  let base: { dir: string; cleanup: () => Promise<void> };
  let rootfs = '';
  let perm = '';
  let client = '';
  let key: KeyPair;
  let network: Network | undefined;
  let appliance: Appliance | undefined;
  const started: Appliance[] = [];

  const boot = async (): Promise<void> => {
    appliance = bootAppliance({ rootfs, perm, hostname: HOSTNAME });
    started.push(appliance);
    await appliance.waitForLog(new RegExp(`web UI on ${DEVICE_ADDR.replace(/\./g, '\\.')}:80`), 20_000);
  };

  /** The breakglass client, as the user runs it, with HOME isolated from the host's. */
  const breakglass = (args: string[], timeoutMs = 30_000): Promise<RunResult> =>
    run(
      process.execPath,
      [
        join(REPO, 'dist', 'breakglass.js'),
        '--ssh-config', join(client, 'ssh_config'),
        '--identity', key.privatePath,
        '--password-file', join(perm, 'gokr-pw.txt'),
        '--timeout', '20s',
        ...args,
      ],
      { timeoutMs, env: { ...process.env, HOME: client } },
    );

  /** Runs one command on the device through the client; fails the test with its output otherwise. */
  const device = async (command: string): Promise<string> => {
    const r = await breakglass([DEVICE_ADDR, command]);
    if (r.code !== 0) throw new Error(`breakglass ${DEVICE_ADDR} '${command}' exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}\nappliance log:\n${appliance?.log()}`);
    return r.stdout.toString();
  };

  /** OpenSSH options for direct ssh/sftp to the device. */
  const sshOptions = (): string[] => ['-F', join(client, 'ssh_config'), '-i', key.privatePath, '-o', `UserKnownHostsFile=${join(client, 'known_hosts')}`, '-o', 'StrictHostKeyChecking=accept-new'];

  const hostKeyFingerprint = (): string =>
    execFileSync('ssh-keygen', ['-lf', join(perm, 'breakglass.host_key')], { encoding: 'utf8' }).split(' ')[1]!;

  beforeAll(async () => {
    base = await applianceDir();
    rootfs = join(base.dir, 'rootfs');
    perm = join(base.dir, 'perm');
    client = join(base.dir, 'client');
    await mkdir(perm);
    await mkdir(client);
    key = await makeKey(client);
    await writeFile(
      join(client, 'ssh_config'),
      ['Host *', '  User root', '  IdentitiesOnly yes', '  IdentityAgent none', '  BatchMode yes', '  LogLevel ERROR', '  ConnectTimeout 10', ''].join('\n'),
    );
    await buildRootfs(rootfs, { hostname: HOSTNAME, initConfig: INIT_CONFIG, authorizedKeys: `${key.publicLine}\n` });
    network = await setupNetwork();
    await boot();
  }, 90_000);

  afterAll(async () => {
    for (const a of started) await a.stop();
    await network?.teardown();
    // ssh connection-sharing masters the client left behind (ControlPersist) are ours: end them by PID.
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (cmdline.includes(client) && cmdline.startsWith('ssh')) process.kill(Number(pid), 'SIGTERM');
      } catch {
        // gone
      }
    }
    await base?.cleanup();
  }, 60_000);

  it('boots breakglass-init as PID 1; its web UI answers on 10.231.0.2 with basic auth; breakglassd waits (dontStart)', async () => {
    expect(appliance!.log()).toMatch(/breakglass-init: web UI on 10\.231\.0\.2:80/);
    expect(appliance!.log()).not.toMatch(/breakglassd: listening/);
    const password = (await readFile(join(perm, 'gokr-pw.txt'), 'utf8')).trim();
    const status = `http://${DEVICE_ADDR}/status?path=/user/breakglass`;
    expect((await fetch(status)).status).toBe(401);
    const res = await fetch(status, { headers: { authorization: `Basic ${Buffer.from(`gokrazy:${password}`).toString('base64')}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-gokrazy-status')).toBe('stopped');
    expect(res.headers.get('x-gokrazy-goarch')).toBe(GOARCH);
  });

  it('the client starts breakglassd through the web UI, pins its key and runs ps: only the appliance', async () => {
    const out = await device('ps');
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^\s*PID\s+USER\s+TIME\s+COMMAND/);
    const rows = lines.slice(1).map((l) => {
      const [pid, , , ...command] = l.trim().split(/\s+/);
      return { pid: Number(pid), command: command.join(' ') };
    });
    expect(rows.find((r) => r.pid === 1)?.command).toMatch(/breakglass-init/);
    expect(rows.some((r) => r.pid !== 1 && /breakglassd/.test(r.command))).toBe(true);
    // Nothing of the host: every process is the init or the SSH server it started.
    expect(rows.filter((r) => !/breakglass-init|breakglassd/.test(r.command))).toEqual([]);
    expect(fingerprintFromLog(appliance!.log()) ?? hostKeyFingerprint()).toBe(hostKeyFingerprint());
  });

  it("mount shows the appliance's mounts, one line per /proc/self/mounts entry", async () => {
    const out = await device('mount');
    expect(out).toMatch(/ on \/ type \S+ \(ro[,)]/);
    expect(out).toMatch(/ on \/perm type \S+ \(rw[,)]/);
    expect(out).toMatch(/^tmpfs on \/tmp type tmpfs \(rw/m);
    expect(out).toMatch(/^tmpfs on \/run type tmpfs \(rw/m);
    expect(out).toMatch(/^proc on \/proc type proc /m);
    expect(out).toMatch(/^sysfs on \/sys type sysfs \(ro/m);
    expect(out).not.toMatch(/ on \/work/);
    const count = Number((await device('cat /proc/self/mounts | wc -l')).trim());
    expect(out.trim().split('\n')).toHaveLength(count);
  });

  it('netstat -tlnp shows the web UI (PID 1) and breakglassd listening, on private addresses only', async () => {
    const out = await device('netstat -tlnp');
    const listeners = out
      .split('\n')
      .filter((l) => /^tcp6? /.test(l))
      .map((l) => {
        const f = l.trim().split(/\s+/);
        return { local: f[3]!, program: f[6]! };
      });
    expect(listeners).toContainEqual({ local: `${DEVICE_ADDR}:80`, program: '1/breakglass-init' });
    expect(listeners).toContainEqual({ local: '127.0.0.1:80', program: '1/breakglass-init' });
    const sshd = listeners.filter((l) => l.local.endsWith(':22'));
    expect(sshd.map((l) => l.local).sort()).toEqual(expect.arrayContaining([`${DEVICE_ADDR}:22`, '127.0.0.1:22']));
    expect(sshd.every((l) => /^\d+\/breakglassd$/.test(l.program) && !l.program.startsWith('1/'))).toBe(true);
    // --listen private: never a wildcard or public address.
    for (const l of listeners) expect(l.local, l.local).toMatch(/^(127\.0\.0\.1|10\.231\.0\.2|::1|fe80:[0-9a-f:]+):\d+$/);
  });

  it("ip addr / ip route / ss see the device's own network (sysfs and /proc/net of its namespace)", async () => {
    const addr = await device('ip -4 addr');
    expect(addr).toMatch(/^1: lo: <LOOPBACK,UP,LOWER_UP>/m);
    expect(addr).toContain('    inet 127.0.0.1/8 scope host lo\n');
    expect(addr).toMatch(/^\d+: eth0@if\d+: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP/m);
    expect(addr).toContain('    inet 10.231.0.2/24 brd 10.231.0.255 scope global eth0\n');
    expect(await device('ip route')).toBe('default via 10.231.0.1 dev eth0\n10.231.0.0/24 dev eth0 proto kernel scope link src 10.231.0.2\n');
    const ss = await device('ss -tlnp');
    expect(ss).toMatch(/LISTEN .* 10\.231\.0\.2:80 .*users:\(\("breakglass-init",pid=1,fd=\d+\)\)/);
  });

  it('the device reaches a backend on the host side: nc -z, fetch, wget into the tmpfs but not the read-only root', async () => {
    const backend = createServer((req, res) => res.end(`backend saw ${req.url}\n`));
    await new Promise<void>((r) => backend.listen(0, HOST_ADDR, r));
    const port = (backend.address() as { port: number }).port;
    try {
      expect(await device(`nc -z ${HOST_ADDR} ${port}`)).toBe(`${HOST_ADDR} (${HOST_ADDR}:${port}) open\n`);
      expect(await device(`fetch -q http://${HOST_ADDR}:${port}/health`)).toBe('backend saw /health\n');
      expect(await device(`cd /tmp && wget -q http://${HOST_ADDR}:${port}/saved.txt && cat /tmp/saved.txt`)).toBe('backend saw /saved.txt\n');
      const readOnly = await breakglass([DEVICE_ADDR, `cd / && wget -q http://${HOST_ADDR}:${port}/x.txt`]);
      expect(readOnly.code).toBe(1);
      expect(readOnly.stderr).toMatch(/wget: can't open 'x\.txt': .*read-only file system/i);
    } finally {
      backend.closeAllConnections();
      await new Promise((r) => backend.close(r));
    }
  });

  it('cat /etc/hostname and hostname say appliance; /bin does not exist', async () => {
    expect(await device('cat /etc/hostname')).toBe(`${HOSTNAME}\n`);
    expect(await device('hostname')).toBe(`${HOSTNAME}\n`);
    const ls = await breakglass([DEVICE_ADDR, 'ls /bin']);
    expect(ls.code).not.toBe(0);
    expect(ls.stderr).toMatch(/\/bin/);
    const sh = await breakglass([DEVICE_ADDR, 'sh -c true']);
    expect(sh.code).toBe(127);
  });

  it('busybox-fetch builds the debug tarball; the client uploads it; busybox and sh run inside', async () => {
    const tarball = join(client, `debug-${GOARCH}.tar`);
    const built = await run(process.execPath, [join(REPO, 'dist', 'busybox-fetch.js'), '--arch', GOARCH, '--binary', '/bin/busybox', '--out', tarball]);
    expect(built.code, built.stderr).toBe(0);
    const uname = await breakglass(['--debug-tarball-pattern', join(client, 'debug-${GOARCH}.tar'), DEVICE_ADDR, 'busybox uname -a'], 60_000);
    expect(uname.code, uname.stderr).toBe(0);
    expect(uname.stdout.toString()).toMatch(new RegExp(`^Linux ${HOSTNAME} `));
    expect(await device("sh -c 'echo ok'")).toBe('ok\n');
  });

  it('with the toolbox, programs run on a real pty inside the appliance (ssh -tt)', async () => {
    await device('true');
    // `tty` and `stty` are toolbox applets: each runs on a pty that the device's own busybox
    // telnetd made (no /bin/sh, no node-pty); the size is the one ssh requested.
    const r = await run('ssh', [...sshOptions(), '-tt', `root@${DEVICE_ADDR}`, "tty; stty size; busybox sh -c 'exit 3'"], { timeoutMs: 20_000 });
    expect(r.code, `${r.stderr}\nstdout: ${r.stdout}\nlog: ${appliance?.log()}`).toBe(3);
    expect(r.stdout.toString()).toMatch(/^\/dev\/pts\/\d+\r\n\d+ \d+\r\n/);
  });

  it('a file sftp-ed into /perm and the host key survive a restart; the toolbox does not', async () => {
    await device('true'); // the client starts breakglassd if this test runs alone
    const before = hostKeyFingerprint();
    await writeFile(join(client, 'note.txt'), 'kept across reboots\n');
    await writeFile(join(client, 'batch'), `put ${join(client, 'note.txt')} /perm/note.txt\n`);
    const sftp = await run('sftp', [...sshOptions(), '-b', join(client, 'batch'), `root@${DEVICE_ADDR}`]);
    expect(sftp.code, sftp.stderr).toBe(0);
    expect(await readFile(join(perm, 'note.txt'), 'utf8')).toBe('kept across reboots\n');
    // Something in the toolbox (on the tmpfs /tmp), streamed in with `toolbox add`.
    await writeFile(join(client, 'marker.txt'), 'from the toolbox\n');
    execFileSync('tar', ['-cf', join(client, 'marker.tar'), '-C', client, 'marker.txt']);
    const add = await run('ssh', [...sshOptions(), `root@${DEVICE_ADDR}`, 'toolbox add'], { input: await readFile(join(client, 'marker.tar')) });
    expect(add.code, add.stderr).toBe(0);
    expect(await device('toolbox list')).toContain('marker.txt');

    await appliance!.stop();
    await boot();

    expect(await device('cat /perm/note.txt')).toBe('kept across reboots\n');
    expect(hostKeyFingerprint()).toBe(before);
    const scan = execFileSync('ssh-keyscan', ['-t', 'ed25519', DEVICE_ADDR], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const scanned = execFileSync('ssh-keygen', ['-lf', '-'], { input: scan, encoding: 'utf8' }).split(' ')[1];
    expect(scanned).toBe(before);
    // The toolbox lived on the tmpfs /tmp: gone with the reboot.
    expect(await device('toolbox list')).not.toContain('marker.txt');
    const busybox = await breakglass([DEVICE_ADDR, 'busybox true']);
    expect(busybox.code).toBe(127);
  }, 90_000);

  it('--listen private ignores public addresses and uplink* interfaces, picks up new private ones', async () => {
    // Addresses added inside the device's namespace only; no traffic is sent to them.
    execFileSync('ip', ['-n', NETNS, 'addr', 'add', '203.0.113.7/32', 'dev', 'eth0']);
    // gokrazy's WAN side is named uplink*; a veth pair stands in (no dummy module needed).
    execFileSync('ip', ['-n', NETNS, 'link', 'add', 'uplink0', 'type', 'veth', 'peer', 'name', 'uplink0-peer']);
    execFileSync('ip', ['-n', NETNS, 'link', 'set', 'uplink0-peer', 'up']);
    execFileSync('ip', ['-n', NETNS, 'addr', 'add', '192.168.77.1/24', 'dev', 'uplink0']);
    execFileSync('ip', ['-n', NETNS, 'link', 'set', 'uplink0', 'up']);
    execFileSync('ip', ['-n', NETNS, 'addr', 'add', '10.231.0.3/24', 'dev', 'eth0']);
    const deadline = Date.now() + 20_000;
    let out = '';
    while (Date.now() < deadline) {
      out = await device('netstat -tln');
      if (out.includes('10.231.0.3:22')) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(out).toContain('10.231.0.3:22');
    expect(out).not.toContain('203.0.113.7');
    expect(out).not.toContain('192.168.77.1');
    expect(out).not.toMatch(/0\.0\.0\.0:22|:::22/);
  }, 60_000);

  it('teardown check: the host sees none of the appliance outside its namespaces', () => {
    // The appliance's mounts live in its own mount namespace, never in the host's.
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(rootfs);
    expect(execFileSync('ip', ['-o', 'link', 'show', HOST_IF], { encoding: 'utf8' })).toContain(HOST_IF);
    // Processes with the appliance root are inside its PID namespace.
    const inside = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return readlinkSync(`/proc/${p}/root`) === rootfs;
        } catch {
          return false;
        }
      });
    expect(inside.length).toBeGreaterThanOrEqual(2);
  });
});

/** The fingerprint in breakglassd's readiness line, if the init echoed service logs. */
function fingerprintFromLog(log: string): string | undefined {
  return /breakglassd: listening on \S+ \(host key (SHA256:[A-Za-z0-9+/]+)\)/.exec(log)?.[1];
}
