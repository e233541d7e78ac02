// Pure parsers of the routing, neighbour and interface tables in /proc/net
// (proc(5); net/ipv4/fib_trie.c fib_route_seq_show, net/ipv6/route.c
// rt6_info_seq_show, net/ipv4/arp.c arp_seq_show, net/core/net-procfs.c dev_seq_show,
// net/ipv6/addrconf.c if6_seq_show).
import { hexToIPv4, hexToIPv6 } from './net-addr.js';
import { NetParseError } from './net-sockets.js';

/** include/uapi/linux/route.h */
export const RTF_UP = 0x0001;
export const RTF_GATEWAY = 0x0002;
export const RTF_HOST = 0x0004;
export const RTF_REJECT = 0x0200;
/** include/uapi/linux/ipv6_route.h */
export const RTF_ADDRCONF = 0x00040000;
export const RTF_LOCAL = 0x80000000;

export interface Route4 {
  iface: string;
  destination: string;
  gateway: string;
  flags: number;
  metric: number;
  /** Prefix length derived from the mask. */
  prefixLength: number;
  mtu: number;
  window: number;
  irtt: number;
}

function maskBits(maskHex: string): number {
  // The mask is little-endian like the addresses; count bits of the byte-swapped word.
  let n = parseInt(maskHex, 16) >>> 0;
  let bits = 0;
  while (n) {
    bits += n & 1;
    n >>>= 1;
  }
  return bits;
}

/** /proc/net/route: `Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT`. */
export function parseRoute4(text: string): Route4[] {
  const out: Route4[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('Iface')) continue;
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || !/^[0-9A-Fa-f]{8}$/.test(f[1]!) || !/^[0-9A-Fa-f]{8}$/.test(f[2]!)) {
      throw new NetParseError('/proc/net/route: unexpected line layout', line);
    }
    out.push({
      iface: f[0]!,
      destination: hexToIPv4(f[1]!),
      gateway: hexToIPv4(f[2]!),
      flags: parseInt(f[3]!, 16),
      metric: Number(f[6]),
      prefixLength: maskBits(f[7]!),
      mtu: Number(f[8] ?? 0),
      window: Number(f[9] ?? 0),
      irtt: Number(f[10] ?? 0),
    });
  }
  return out;
}

export interface Route6 {
  destination: string;
  prefixLength: number;
  source: string;
  sourcePrefixLength: number;
  nextHop: string;
  metric: number;
  flags: number;
  iface: string;
}

/** /proc/net/ipv6_route: `dest plen src splen nexthop metric refcnt use flags dev` (hex). */
export function parseRoute6(text: string): Route6[] {
  const out: Route6[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !/^[0-9a-fA-F]{32}$/.test(f[0]!) || !/^[0-9a-fA-F]{32}$/.test(f[4]!)) {
      throw new NetParseError('/proc/net/ipv6_route: unexpected line layout', line);
    }
    out.push({
      destination: hexToIPv6(f[0]!),
      prefixLength: parseInt(f[1]!, 16),
      source: hexToIPv6(f[2]!),
      sourcePrefixLength: parseInt(f[3]!, 16),
      nextHop: hexToIPv6(f[4]!),
      metric: parseInt(f[5]!, 16) >>> 0,
      flags: parseInt(f[8]!, 16) >>> 0,
      iface: f[9]!,
    });
  }
  return out;
}

export interface ArpEntry {
  address: string;
  hwType: number;
  /** ATF_COM 0x2 (complete), ATF_PERM 0x4 (permanent), ATF_PUBL 0x8 (proxy). */
  flags: number;
  hwAddress: string;
  iface: string;
}

export const ATF_COM = 0x02;
export const ATF_PERM = 0x04;

/** /proc/net/arp: `IP address  HW type  Flags  HW address  Mask  Device`. */
export function parseArp(text: string): ArpEntry[] {
  const out: ArpEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('IP address')) continue;
    const f = line.trim().split(/\s+/);
    if (f.length < 6) throw new NetParseError('/proc/net/arp: expected 6 fields', line);
    out.push({ address: f[0]!, hwType: parseInt(f[1]!, 16), flags: parseInt(f[2]!, 16), hwAddress: f[3]!, iface: f[5]! });
  }
  return out;
}

export interface InterfaceCounters {
  iface: string;
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  rxDropped: number;
  /** FIFO overruns (net-tools' RX-OVR / TX-OVR). */
  rxFifo: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
  txDropped: number;
  txFifo: number;
}

/** /proc/net/dev: two header lines, then `iface: 8 receive counters 8 transmit counters`. */
export function parseNetDev(text: string): InterfaceCounters[] {
  const out: InterfaceCounters[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon === -1 || line.includes('|')) continue;
    const iface = line.slice(0, colon).trim();
    const n = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (n.length < 16 || n.some((x) => Number.isNaN(x))) throw new NetParseError('/proc/net/dev: expected 16 counters', line);
    out.push({
      iface,
      rxBytes: n[0]!,
      rxPackets: n[1]!,
      rxErrors: n[2]!,
      rxDropped: n[3]!,
      rxFifo: n[4]!,
      txBytes: n[8]!,
      txPackets: n[9]!,
      txErrors: n[10]!,
      txDropped: n[11]!,
      txFifo: n[12]!,
    });
  }
  return out;
}

export interface Inet6Address {
  address: string;
  ifindex: number;
  prefixLength: number;
  /** IPV6_ADDR_* scope: 0x00 global, 0x10 host (loopback), 0x20 link, 0x40 site. */
  scope: number;
  /** IFA_F_* flags: 0x80 permanent, 0x40 tentative, 0x20 deprecated, 0x02 nodad … */
  flags: number;
  iface: string;
}

/** /proc/net/if_inet6: `address ifindex prefixlen scope flags ifname` (hex fields). */
export function parseIfInet6(text: string): Inet6Address[] {
  const out: Inet6Address[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const f = line.trim().split(/\s+/);
    if (f.length < 6 || !/^[0-9a-fA-F]{32}$/.test(f[0]!)) {
      throw new NetParseError('/proc/net/if_inet6: unexpected line layout', line);
    }
    out.push({
      address: hexToIPv6(f[0]!),
      ifindex: parseInt(f[1]!, 16),
      prefixLength: parseInt(f[2]!, 16),
      scope: parseInt(f[3]!, 16),
      flags: parseInt(f[4]!, 16),
      iface: f[5]!,
    });
  }
  return out;
}

/** iproute2's names for IPv6 address scopes. */
export function ipv6ScopeName(scope: number): string {
  if (scope === 0x10) return 'host';
  if (scope === 0x20) return 'link';
  if (scope === 0x40) return 'site';
  return 'global';
}
