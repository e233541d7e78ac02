// ip addr/link/route/neigh: compared with iproute2's own `ip -j` on this machine, and
// exact layouts on fixture tables.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuiltin } from '../helpers/builtin-ctx.js';
import { ip } from '../../src/shell/builtins/ip.js';

const FIXTURE_PROC = resolve(import.meta.dirname, '../fixtures/proc');
const fixture = { services: { procRoot: FIXTURE_PROC } };

/**
 * Other test files (the appliance) add and remove veth links while this runs: compare
 * again, a few times, until both reads saw the same moment.
 */
async function settle<T>(read: () => Promise<[T, T]>): Promise<[T, T]> {
  let pair = await read();
  for (let i = 0; i < 4 && JSON.stringify(pair[0]) !== JSON.stringify(pair[1]); i++) {
    await new Promise((r) => setTimeout(r, 250));
    pair = await read();
  }
  return pair;
}

function hostIp(args: string[]): unknown {
  try {
    return JSON.parse(execFileSync('ip', ['-j', ...args], { encoding: 'utf8' }));
  } catch {
    return undefined; // iproute2 not installed
  }
}

interface IpLink {
  ifindex: number;
  ifname: string;
  flags: string[];
  mtu: number;
  operstate: string;
  address?: string;
  addr_info?: Array<{ family: string; local: string; prefixlen: number; scope: string }>;
}

describe('ip addr / ip link on this machine', () => {
  it('ip addr lists lo with 127.0.0.1/8 in the iproute2 layout', async () => {
    const { code, stdout } = await runBuiltin(ip, ['addr'], {});
    expect(code).toBe(0);
    expect(stdout).toMatch(/^1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 state UNKNOWN/m);
    expect(stdout).toContain('    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n');
    expect(stdout).toContain('    inet 127.0.0.1/8 scope host lo\n');
  });

  it('ip -j addr matches the host ip -j addr: interfaces, flags, mtu, addresses', async () => {
    if (!hostIp(['addr'])) return;
    const shape = (links: IpLink[]): unknown =>
      links.map((l) => ({
        ifindex: l.ifindex,
        ifname: l.ifname,
        flags: [...l.flags].sort(),
        mtu: l.mtu,
        operstate: l.operstate,
        address: l.address,
        addrs: (l.addr_info ?? []).map((a) => `${a.family} ${a.local}/${a.prefixlen} ${a.scope}`).sort(),
      }));
    const [ours, host] = await settle(async () => [
      shape(JSON.parse((await runBuiltin(ip, ['-j', 'addr'], {})).stdout) as IpLink[]),
      shape(hostIp(['addr']) as IpLink[]),
    ]);
    expect(ours).toEqual(host);
  });

  it('ip link matches the host: one header line and one link/ line per interface', async () => {
    const { stdout } = await runBuiltin(ip, ['link'], {});
    expect(stdout).not.toContain('inet ');
    if (!hostIp(['link'])) return;
    const [ours, host] = await settle(async () => [
      (await runBuiltin(ip, ['link'], {})).stdout.split('\n').filter((l) => /^\d+: /.test(l)).map((l) => l.split(':')[1]!.trim().split('@')[0]),
      (hostIp(['link']) as IpLink[]).map((l) => l.ifname),
    ]);
    expect(ours).toEqual(host);
    const { stdout: json } = await runBuiltin(ip, ['-j', 'link', 'show', 'lo'], {});
    expect(JSON.parse(json)).toEqual([expect.objectContaining({ ifname: 'lo', link_type: 'loopback', mtu: 65536 })]);
  });

  it('-4 shows only interfaces with IPv4 addresses, without the link/ line; -br is one line each', async () => {
    const { stdout } = await runBuiltin(ip, ['-4', 'a', 'show', 'dev', 'lo'], {});
    expect(stdout.split('\n')).toEqual([expect.stringMatching(/^1: lo: /), '    inet 127.0.0.1/8 scope host lo', '']);
    const brief = await runBuiltin(ip, ['-br', '-4', 'addr'], {});
    expect(brief.stdout).toMatch(/^lo +UNKNOWN +127\.0\.0\.1\/8\n/);
  });

  it('an unknown device is an error like iproute2', async () => {
    const { code, stderr } = await runBuiltin(ip, ['link', 'show', 'nosuch0'], {});
    expect(code).toBe(1);
    expect(stderr).toBe('ip: Device "nosuch0" does not exist.\n');
  });
});

describe('ip route on this machine', () => {
  it('the IPv4 table agrees with iproute2 on destination, gateway and device', async () => {
    type Route = { dst: string; gateway?: string; dev: string };
    if (!hostIp(['route'])) return;
    const pick = (r: Route): string => `${r.dst} ${r.gateway ?? '-'} ${r.dev}`;
    const [ours, host] = await settle(async () => [
      (JSON.parse((await runBuiltin(ip, ['-j', 'route'], {})).stdout) as Route[]).map(pick).sort(),
      (hostIp(['route']) as Route[]).map(pick).sort(),
    ]);
    expect(ours).toEqual(host);
  });
});

describe('ip on fixture tables', () => {
  it('ip route prints default via …, connected prefixes and metrics', async () => {
    const { code, stdout } = await runBuiltin(ip, ['route'], fixture);
    expect(code).toBe(0);
    expect(stdout).toBe(['default via 10.231.0.1 dev eth0', '10.231.0.0/24 dev eth0 scope link', '192.168.0.0/24 dev wlan0 scope link metric 600', ''].join('\n'));
    const dev = await runBuiltin(ip, ['r', 'show', 'dev', 'wlan0'], fixture);
    expect(dev.stdout).toBe('192.168.0.0/24 dev wlan0 scope link metric 600\n');
  });

  it('ip -6 route shows the main table only (no local, multicast or reject entries)', async () => {
    const { stdout } = await runBuiltin(ip, ['-6', 'route'], fixture);
    expect(stdout).toBe(['fd00::/64 dev eth0 metric 256', 'fe80::/64 dev eth0 metric 256', 'default via fd00::1 dev eth0 metric 1024', ''].join('\n'));
  });

  it('ip neigh prints lladdr and state from /proc/net/arp', async () => {
    const { stdout } = await runBuiltin(ip, ['neigh'], fixture);
    expect(stdout).toBe(
      ['10.231.0.1 dev eth0 lladdr 02:fc:00:00:00:05 REACHABLE', '10.231.0.9 dev eth0 INCOMPLETE', '10.231.0.7 dev eth0 lladdr aa:bb:cc:dd:ee:ff PERMANENT', ''].join('\n'),
    );
    const json = await runBuiltin(ip, ['-j', 'n'], fixture);
    expect(JSON.parse(json.stdout)[0]).toEqual({ dst: '10.231.0.1', dev: 'eth0', lladdr: '02:fc:00:00:00:05', state: ['REACHABLE'] });
    const v6 = await runBuiltin(ip, ['-6', 'neigh'], fixture);
    expect(v6.code).toBe(1);
    expect(v6.stderr).toContain('busybox ip -6 neigh');
  });
});

describe('ip is read-only and says so', () => {
  it.each([
    [['addr', 'add', '10.0.0.5/24', 'dev', 'eth0']],
    [['route', 'del', 'default']],
    [['link', 'set', 'eth0', 'up']],
  ])('ip %j → exit 2 pointing at busybox ip', async (args) => {
    const { code, stderr, stdout } = await runBuiltin(ip, args, fixture);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('needs netlink');
    expect(stderr).toContain(`busybox ip ${args.join(' ')}`);
  });

  it('unknown objects and options are usage errors; --help works', async () => {
    expect((await runBuiltin(ip, ['tunnel'], fixture)).stderr).toBe('ip: Object "tunnel" is unknown, try "ip --help".\n');
    expect((await runBuiltin(ip, ['-Z', 'a'], fixture)).code).toBe(2);
    expect((await runBuiltin(ip, [], fixture)).code).toBe(2);
    const help = await runBuiltin(ip, ['--help'], fixture);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('address (a) | link (l) | route (r) | neigh (n)');
  });
});
