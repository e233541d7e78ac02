// Network interfaces as /sys/class/net describes them (Documentation/ABI/testing/
// sysfs-class-net), for `ip link` / `ip addr` without netlink. The pure part turns
// the sysfs flag word into iproute2's flag list; the reader takes an injected root.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface LinkInfo {
  ifindex: number;
  ifname: string;
  /** ifindex of the peer/parent; differs from ifindex for veth, vlan … (`eth0@if6`). */
  iflink: number;
  /** dev->flags (include/uapi/linux/if.h IFF_*), without LOWER_UP (derived from carrier). */
  flags: number;
  carrier: boolean;
  mtu: number;
  operstate: string;
  /** ARPHRD_* (include/uapi/linux/if_arp.h). */
  type: number;
  address: string;
  broadcast: string;
  txqlen: number;
}

/** include/uapi/linux/if.h */
export const IFF = {
  UP: 0x1,
  BROADCAST: 0x2,
  DEBUG: 0x4,
  LOOPBACK: 0x8,
  POINTOPOINT: 0x10,
  NOTRAILERS: 0x20,
  RUNNING: 0x40,
  NOARP: 0x80,
  PROMISC: 0x100,
  ALLMULTI: 0x200,
  MASTER: 0x400,
  SLAVE: 0x800,
  MULTICAST: 0x1000,
  PORTSEL: 0x2000,
  AUTOMEDIA: 0x4000,
  DYNAMIC: 0x8000,
} as const;

// iproute2 ip/ipaddress.c print_link_flags() order.
const FLAG_ORDER: Array<keyof typeof IFF> = [
  'LOOPBACK', 'BROADCAST', 'POINTOPOINT', 'MULTICAST', 'NOARP', 'ALLMULTI', 'PROMISC',
  'NOTRAILERS', 'DEBUG', 'DYNAMIC', 'AUTOMEDIA', 'PORTSEL', 'MASTER', 'SLAVE', 'UP',
];

/** iproute2's `<…>` flag list: NO-CARRIER first when up without carrier, LOWER_UP last. */
export function linkFlagNames(flags: number, carrier: boolean): string[] {
  const names: string[] = [];
  if (flags & IFF.UP && !carrier) names.push('NO-CARRIER');
  for (const name of FLAG_ORDER) if (flags & IFF[name]) names.push(name);
  if (carrier && flags & IFF.UP) names.push('LOWER_UP');
  return names;
}

const LINK_TYPES: Record<number, string> = {
  1: 'ether',
  512: 'ppp',
  768: 'ipip',
  769: 'tunnel6',
  772: 'loopback',
  776: 'sit',
  778: 'gre',
  823: 'ip6gre',
  65534: 'none',
};

export function linkTypeName(type: number): string {
  return LINK_TYPES[type] ?? `[${type}]`;
}

async function readAttr(dir: string, name: string): Promise<string> {
  // `carrier` fails with EINVAL while the link is down; treat unreadable as empty.
  return readFile(join(dir, name), 'utf8').then((t) => t.trim(), () => '');
}

/** Every interface under SYSROOT/class/net, ordered by ifindex. */
export async function readLinks(sysRoot: string): Promise<LinkInfo[]> {
  const base = join(sysRoot, 'class', 'net');
  const names = await readdir(base);
  const links = await Promise.all(
    names.map(async (ifname): Promise<LinkInfo> => {
      const dir = join(base, ifname);
      const [ifindex, iflink, flags, carrier, mtu, operstate, type, address, broadcast, txqlen] = await Promise.all(
        ['ifindex', 'iflink', 'flags', 'carrier', 'mtu', 'operstate', 'type', 'address', 'broadcast', 'tx_queue_len'].map((a) =>
          readAttr(dir, a),
        ),
      );
      return {
        ifindex: Number(ifindex),
        ifname,
        iflink: Number(iflink || ifindex),
        flags: parseInt(flags || '0', 16),
        carrier: carrier === '1',
        mtu: Number(mtu),
        operstate: (operstate || 'unknown').toUpperCase(),
        type: Number(type),
        address: address!,
        broadcast: broadcast!,
        txqlen: Number(txqlen || 0),
      };
    }),
  );
  return links.sort((a, b) => a.ifindex - b.ifindex);
}
