// The "private addresses only" rule shared by breakglassd and breakglass-init
// (DESIGN.md `--listen`): loopback, RFC 1918, RFC 6598 shared (100.64.0.0/10),
// link-local (169.254.0.0/16, fe80::/10) and ULA (fc00::/7) addresses of up
// interfaces, except interfaces named `uplink*` (gokrazy's name for the WAN side).
// Pure functions over an injected interface list, so tests need no network.
import { isIP } from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';
import { UsageError } from './errors.js';

export interface ListenAddress {
  address: string;
  family: 4 | 6;
  /** Interface name; link-local IPv6 needs it as the zone (`fe80::1%eth0`). */
  ifname?: string;
}

export type InterfaceTable = NodeJS.Dict<NetworkInterfaceInfo[]>;

function ipv4ToInt(address: string): number {
  return address.split('.').reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
}

function inV4Cidr(address: string, base: string, bits: number): boolean {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (ipv4ToInt(address) & mask) === (ipv4ToInt(base) & mask);
}

/** Expands an IPv6 address (zone stripped) into 8 16-bit groups. */
export function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0]!.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4ToInt(v4[1]!);
    text = text.slice(0, v4.index) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array(8 - headParts.length - tailParts.length).fill('0');
  return [...headParts, ...fill, ...tailParts].map((g) => parseInt(g, 16));
}

const PRIVATE_V4: Array<[string, number]> = [
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
];

/** True for loopback, RFC 1918, 100.64/10, link-local and ULA addresses. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address.split('%')[0]!);
  if (family === 4) return PRIVATE_V4.some(([base, bits]) => inV4Cidr(address, base, bits));
  if (family !== 6) return false;
  const g = ipv6Groups(address);
  if (g.every((x, i) => (i < 7 ? x === 0 : x === 1))) return true; // ::1
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    // IPv4-mapped: judge the embedded IPv4 address.
    return isPrivateAddress(`${g[6]! >>> 8}.${g[6]! & 0xff}.${g[7]! >>> 8}.${g[7]! & 0xff}`);
  }
  if ((g[0]! & 0xfe00) === 0xfc00) return true; // fc00::/7 ULA
  if ((g[0]! & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
  return false;
}

/** `0.0.0.0` and `::` listen on every address, public ones included. */
export function isUnspecifiedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return address === '0.0.0.0';
  if (family === 6) return ipv6Groups(address).every((x) => x === 0);
  return false;
}

/** Checks an address or CIDR pattern (`10.0.0.0/8`, `fe80::/10`) against one address. */
export function addressInCidr(address: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/') as [string, string | undefined];
  const famA = isIP(address.split('%')[0]!);
  const famB = isIP(base);
  if (famA === 0 || famA !== famB) return false;
  const bits = bitsText === undefined ? (famA === 4 ? 32 : 128) : Number(bitsText);
  if (famA === 4) return inV4Cidr(address, base, bits);
  const a = ipv6Groups(address);
  const b = ipv6Groups(base);
  for (let i = 0; i < 8; i++) {
    const take = Math.max(0, Math.min(16, bits - i * 16));
    const mask = take === 0 ? 0 : (0xffff << (16 - take)) & 0xffff;
    if ((a[i]! & mask) !== (b[i]! & mask)) return false;
  }
  return true;
}

/** The private addresses of up interfaces, in a stable order (loopback first). */
export function privateInterfaceAddresses(table: InterfaceTable): ListenAddress[] {
  const found: ListenAddress[] = [];
  for (const [ifname, infos] of Object.entries(table)) {
    if (!infos || ifname.startsWith('uplink')) continue;
    for (const info of infos) {
      if (!isPrivateAddress(info.address)) continue;
      const family = info.family === 'IPv4' || (info.family as unknown) === 4 ? 4 : 6;
      found.push({ address: info.address, family, ifname });
    }
  }
  const rank = (a: ListenAddress): number => (isLoopback(a.address) ? 0 : 1);
  return found.sort((a, b) => rank(a) - rank(b) || a.family - b.family || a.address.localeCompare(b.address));
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.');
}

/** A parsed `--listen` value: either the private rule or an explicit list. */
export type ListenSpec = { kind: 'private' } | { kind: 'explicit'; addresses: ListenAddress[] };

/**
 * Parses `private` or a comma list of addresses. Public or unspecified addresses need
 * `allowPublic`; the error names the flag so the user knows how to proceed.
 */
export function parseListenSpec(text: string, allowPublic: boolean, flagName = '--listen'): ListenSpec {
  if (text.trim() === 'private') return { kind: 'private' };
  const addresses: ListenAddress[] = [];
  for (const raw of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const bare = raw.replace(/^\[(.*)\]$/, '$1');
    const [addr, zone] = bare.split('%') as [string, string | undefined];
    const family = isIP(addr);
    if (family === 0) throw new UsageError(`${flagName}: ${JSON.stringify(raw)} is not an IP address or "private"`);
    if (!allowPublic && (isUnspecifiedAddress(addr) || !isPrivateAddress(addr))) {
      throw new UsageError(
        `${flagName}: ${raw} is a public or unspecified address; pass --allow-public to listen on it anyway`,
      );
    }
    addresses.push({ address: addr, family: family as 4 | 6, ...(zone ? { ifname: zone } : {}) });
  }
  if (addresses.length === 0) throw new UsageError(`${flagName}: empty address list`);
  return { kind: 'explicit', addresses };
}

/** The host string to hand to net.Server.listen (link-local IPv6 needs its zone). */
export function listenHost(addr: ListenAddress): string {
  if (addr.family === 6 && addr.ifname && addr.address.toLowerCase().startsWith('fe80')) {
    return `${addr.address}%${addr.ifname}`;
  }
  return addr.address;
}

/** `ADDR:PORT` for log lines, with IPv6 bracketed as OpenSSH prints it. */
export function formatHostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
