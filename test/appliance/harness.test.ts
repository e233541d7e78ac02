// The harness by itself: a trivial JavaScript init proves the root file system boots
// node as PID 1 inside the namespaces, with the mounts, hostname and network the real
// init will be handed, and that teardown leaves nothing behind.
import { get } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applianceDir, applianceUnavailable, bootAppliance, buildRootfs, setupNetwork } from './harness.js';
import type { Appliance, Network, NetworkSpec } from './harness.js';

// Its own namespace and subnet: vitest may run this file beside appliance.test.ts.
const NET: NetworkSpec = { netns: 'bg-probe', hostIf: 'bg-probe-host', hostAddr: '10.231.1.1', deviceAddr: '10.231.1.2' };
const DEVICE_ADDR = NET.deviceAddr;

const PROBE = `
import { createServer } from 'node:http';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
const tryWrite = (p) => { try { writeFileSync(p, 'x'); return 'ok'; } catch (e) { return e.code; } };
const report = {
  pid: process.pid,
  ppid: process.ppid,
  hostname: hostname(),
  pids: readdirSync('/proc').filter((n) => /^\\d+$/.test(n)),
  mounts: readFileSync('/proc/self/mounts', 'utf8').trim().split('\\n').map((l) => l.split(' ').slice(1, 4).join(' ')),
  root: readdirSync('/').sort(),
  binSh: existsSync('/bin/sh'),
  writeEtc: tryWrite('/etc/probe'),
  writePerm: tryWrite('/perm/probe'),
  writeTmp: tryWrite('/tmp/probe'),
  dev: readdirSync('/dev').sort(),
  ifaces: Object.keys(networkInterfaces()).sort(),
  env: process.env,
};
createServer((req, res) => res.end(JSON.stringify(report))).listen(8080, '${DEVICE_ADDR}', () => console.log('probe ready'));
`;

const unavailable = await applianceUnavailable();
if (unavailable) console.log(`skipping the appliance harness test: ${unavailable}`);

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe.skipIf(unavailable !== undefined)('appliance harness (trivial init)', () => {
  let dirs: { dir: string; cleanup: () => Promise<void> };
  let network: Network | undefined;
  let appliance: Appliance | undefined;

  beforeAll(async () => {
    dirs = await applianceDir();
    await buildRootfs(join(dirs.dir, 'rootfs'), {
      hostname: 'probe',
      initConfig: {},
      authorizedKeys: '',
      dist: false,
      files: { '/dist/probe-init.mjs': PROBE },
    });
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dirs.dir, 'perm'));
    network = await setupNetwork(NET);
    appliance = bootAppliance({ rootfs: join(dirs.dir, 'rootfs'), perm: join(dirs.dir, 'perm'), hostname: 'probe', netns: NET.netns, init: ['/usr/bin/node', '/dist/probe-init.mjs'] });
    await appliance.waitForLog(/probe ready/);
  }, 60_000);

  afterAll(async () => {
    await appliance?.stop();
    await network?.teardown();
    await dirs?.cleanup();
  });

  it('node runs as PID 1 with its own hostname, mounts and network', async () => {
    const report = JSON.parse(await httpGet(`http://${DEVICE_ADDR}:8080/`)) as Record<string, unknown>;
    expect(report.pid).toBe(1);
    expect(report.ppid).toBe(0);
    expect(report.hostname).toBe('probe');
    expect(report.pids).toEqual(['1']);
    expect(report.binSh).toBe(false);
    // Only what the harness put there: no /bin, no /sbin, nothing from the host.
    const allowed = ['dev', 'dist', 'etc', 'lib', 'lib64', 'perm', 'proc', 'run', 'sys', 'tmp', 'user', 'usr'];
    expect((report.root as string[]).filter((d) => !allowed.includes(d))).toEqual([]);
    expect(report.root).not.toContain('bin');
    expect(report.writeEtc).toBe('EROFS');
    expect(report.writePerm).toBe('ok');
    expect(report.writeTmp).toBe('ok');
    expect(report.ifaces).toEqual(['eth0', 'lo']);
    expect(report.dev).toEqual(expect.arrayContaining(['null', 'zero', 'urandom', 'random', 'tty', 'fd', 'stdout']));
    const mounts = report.mounts as string[];
    expect(mounts).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\/ \S+ ro,/),
      expect.stringMatching(/^\/perm \S+ rw,/),
      expect.stringMatching(/^\/tmp tmpfs rw,/),
      expect.stringMatching(/^\/run tmpfs rw,/),
      expect.stringMatching(/^\/sys sysfs ro,/),
      expect.stringMatching(/^\/dev tmpfs ro,/),
      expect.stringMatching(/^\/proc proc rw,/),
    ]));
    // The host's mounts are not visible inside.
    expect(mounts.some((m) => m.startsWith('/work'))).toBe(false);
    expect(await readFile(join(dirs.dir, 'perm', 'probe'), 'utf8')).toBe('x');
  });

  it('stop + teardown leave no process, mount or namespace behind', async () => {
    const rootfs = join(dirs.dir, 'rootfs');
    await appliance!.stop();
    expect(await readFile('/proc/self/mountinfo', 'utf8')).not.toContain(rootfs);
    await network!.teardown();
    const { execFileSync } = await import('node:child_process');
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(NET.netns);
    expect(execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' })).not.toContain(NET.hostIf);
    // No process still has the probe's root.
    const { readdirSync, readlinkSync } = await import('node:fs');
    const leftovers = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try {
        return readlinkSync(`/proc/${p}/root`).startsWith(rootfs);
      } catch {
        return false;
      }
    });
    expect(leftovers).toEqual([]);
    await writeFile(join(dirs.dir, 'done'), '');
  });
});
