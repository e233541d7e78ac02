// ip: read-only `ip addr`, `ip link`, `ip route`, `ip neigh` in iproute2's layout
// (ip-address(8), ip-link(8), ip-route(8), ip-neighbour(8)). Without netlink we read
// /sys/class/net, os.networkInterfaces() and /proc/net; changes need rtnetlink(7),
// which Node.js cannot open, so those point at the toolbox's busybox.
import { networkInterfaces } from 'node:os';
import type { NetworkInterfaceInfo } from 'node:os';
import { join } from 'node:path';
import type { Builtin, BuiltinContext } from '../types.js';
import { fail } from './io.js';
import { write } from '../../os/index.js';
import { readLinks, linkFlagNames, linkTypeName, ATF_COM, ATF_PERM, RTF_ADDRCONF, RTF_GATEWAY, RTF_LOCAL, RTF_REJECT, RTF_UP, ipv6ScopeName, parseArp, parseIfInet6, parseRoute4, parseRoute6, readOptional } from '../../proc/index.js';
import type { LinkInfo, Inet6Address } from '../../proc/index.js';
import { addressInCidr } from '../../common/index.js';

const USAGE = `Usage: ip [-4|-6] [-j|--json] [-br] OBJECT [show [dev] IFNAME]
Read-only network state, in iproute2's layout.

  OBJECT := address (a) | link (l) | route (r) | neigh (n)
  -4, -6        one address family only
  -j, --json    JSON as 'ip -j' prints it
  -br, -brief   one line per interface
  --help        this text

Changing addresses, links or routes needs netlink, which Node.js cannot use:
upload busybox (breakglass --debug-tarball-pattern …) and run 'busybox ip …'.`;

type Family = 4 | 6 | undefined;

interface IpOptions {
  family: Family;
  json: boolean;
  brief: boolean;
}

const OBJECTS: Array<[string, string]> = [
  ['address', 'addr'],
  ['link', 'link'],
  ['route', 'route'],
  ['neighbour', 'neigh'],
  ['neighbor', 'neigh'],
];

/** iproute2 accepts any prefix of the object name (`a`, `ad`, `addr`). */
function matchObject(word: string): string | undefined {
  for (const [full, canonical] of OBJECTS) if (full.startsWith(word)) return canonical;
  return undefined;
}

const SHOW_WORDS = new Set(['show', 'list', 'lst', 'ls', 'sh', 's']);
const CHANGE_WORDS = new Set(['add', 'del', 'delete', 'change', 'replace', 'set', 'flush', 'append', 'prepend']);

class IpUsage extends Error {}

/** `[show] [dev] IFNAME` → IFNAME or undefined. */
function parseShowArgs(args: string[]): string | undefined {
  const rest = args[0] !== undefined && SHOW_WORDS.has(args[0]) ? args.slice(1) : args;
  if (rest[0] === 'dev') rest.shift();
  if (rest.length > 1) throw new IpUsage(`unsupported arguments '${rest.join(' ')}'`);
  return rest[0];
}

function v4Scope(address: string): string {
  if (address.startsWith('127.')) return 'host';
  if (address.startsWith('169.254.')) return 'link';
  return 'global';
}

function v4Broadcast(address: string, prefix: number): string | undefined {
  if (prefix >= 31 || address.startsWith('127.')) return undefined;
  const n = address.split('.').reduce((acc, p) => ((acc << 8) | Number(p)) >>> 0, 0);
  const host = prefix === 0 ? 0xffffffff : (0xffffffff >>> prefix) >>> 0;
  const b = (n | host) >>> 0;
  return `${b >>> 24}.${(b >>> 16) & 0xff}.${(b >>> 8) & 0xff}.${b & 0xff}`;
}

interface AddrInfo {
  family: 'inet' | 'inet6';
  local: string;
  prefixlen: number;
  broadcast?: string;
  scope: string;
  label?: string;
  flags: string[];
}

function ipv6Flags(entry: Inet6Address): string[] {
  // IFA_F_* (include/uapi/linux/if_addr.h) in iproute2's words.
  const flags: string[] = [];
  if (!(entry.flags & 0x80)) flags.push('dynamic');
  if (entry.flags & 0x02) flags.push('nodad');
  if (entry.flags & 0x40) flags.push('tentative');
  if (entry.flags & 0x20) flags.push('deprecated');
  if (entry.flags & 0x08) flags.push('dadfailed');
  return flags;
}

function addressesOf(link: LinkInfo, v4: NetworkInterfaceInfo[], v6: Inet6Address[], family: Family): AddrInfo[] {
  const out: AddrInfo[] = [];
  if (family !== 6) {
    for (const info of v4) {
      if (info.family !== 'IPv4') continue;
      const prefixlen = Number(info.cidr?.split('/')[1] ?? 32);
      const broadcast = v4Broadcast(info.address, prefixlen);
      out.push({
        family: 'inet',
        local: info.address,
        prefixlen,
        ...(broadcast ? { broadcast } : {}),
        scope: v4Scope(info.address),
        label: link.ifname,
        flags: [],
      });
    }
  }
  if (family !== 4) {
    for (const entry of v6) {
      if (entry.ifindex !== link.ifindex) continue;
      out.push({ family: 'inet6', local: entry.address, prefixlen: entry.prefixLength, scope: ipv6ScopeName(entry.scope), flags: ipv6Flags(entry) });
    }
  }
  return out;
}

function linkName(link: LinkInfo, byIndex: Map<number, LinkInfo>): string {
  if (link.iflink === link.ifindex || link.iflink === 0) return link.ifname;
  const peer = byIndex.get(link.iflink);
  return `${link.ifname}@${peer ? peer.ifname : `if${link.iflink}`}`;
}

function linkHeader(link: LinkInfo, byIndex: Map<number, LinkInfo>): string {
  const flags = linkFlagNames(link.flags, link.carrier).join(',');
  const qlen = link.txqlen ? ` qlen ${link.txqlen}` : '';
  return `${link.ifindex}: ${linkName(link, byIndex)}: <${flags}> mtu ${link.mtu} state ${link.operstate}${qlen}`;
}

function linkLine(link: LinkInfo): string {
  return `    link/${linkTypeName(link.type)} ${link.address}${link.broadcast ? ` brd ${link.broadcast}` : ''}`;
}

function addrLines(a: AddrInfo): string[] {
  const brd = a.broadcast ? ` brd ${a.broadcast}` : '';
  const label = a.label ? ` ${a.label}` : '';
  const flags = a.flags.length ? ` ${a.flags.join(' ')}` : '';
  // Lifetimes (valid_lft/preferred_lft) are only reported over netlink: not shown.
  return [`    ${a.family} ${a.local}/${a.prefixlen}${brd} scope ${a.scope}${flags}${label}`];
}

function linkJson(link: LinkInfo, byIndex: Map<number, LinkInfo>): Record<string, unknown> {
  const peer = link.iflink !== link.ifindex && link.iflink !== 0 ? byIndex.get(link.iflink) : undefined;
  return {
    ifindex: link.ifindex,
    ...(link.iflink !== link.ifindex && link.iflink !== 0 ? (peer ? { link: peer.ifname } : { link_index: link.iflink }) : {}),
    ifname: link.ifname,
    flags: linkFlagNames(link.flags, link.carrier),
    mtu: link.mtu,
    operstate: link.operstate,
    txqlen: link.txqlen,
    link_type: linkTypeName(link.type),
    address: link.address,
    broadcast: link.broadcast,
  };
}

function addrJson(a: AddrInfo): Record<string, unknown> {
  return {
    family: a.family,
    local: a.local,
    prefixlen: a.prefixlen,
    ...(a.broadcast ? { broadcast: a.broadcast } : {}),
    scope: a.scope,
    ...(a.label ? { label: a.label } : {}),
    ...Object.fromEntries(a.flags.map((f) => [f, true])),
  };
}

async function loadLinks(ctx: BuiltinContext, only: string | undefined): Promise<{ links: LinkInfo[]; byIndex: Map<number, LinkInfo> }> {
  const all = await readLinks(ctx.services.sysRoot);
  const byIndex = new Map(all.map((l) => [l.ifindex, l]));
  if (only !== undefined && !all.some((l) => l.ifname === only)) throw new IpUsage(`Device "${only}" does not exist.`);
  return { links: only === undefined ? all : all.filter((l) => l.ifname === only), byIndex };
}

async function showLinks(args: string[], ctx: BuiltinContext, opts: IpOptions, withAddresses: boolean): Promise<number> {
  const { links, byIndex } = await loadLinks(ctx, parseShowArgs(args));
  const v4 = networkInterfaces();
  const v6 = withAddresses && opts.family !== 4 ? parseIfInet6((await readOptional(join(ctx.services.procRoot, 'net', 'if_inet6'))) ?? '') : [];
  const json: Array<Record<string, unknown>> = [];
  for (const link of links) {
    const addrs = withAddresses ? addressesOf(link, v4[link.ifname] ?? [], v6, opts.family) : [];
    // iproute2 with -4/-6 lists only interfaces that have an address of that family.
    if (withAddresses && opts.family !== undefined && addrs.length === 0) continue;
    if (opts.json) {
      json.push({ ...linkJson(link, byIndex), ...(withAddresses ? { addr_info: addrs.map(addrJson) } : {}) });
      continue;
    }
    if (opts.brief) {
      const name = linkName(link, byIndex).padEnd(16);
      const rest = withAddresses ? addrs.map((a) => `${a.local}/${a.prefixlen}`).join(' ') : `${link.address} <${linkFlagNames(link.flags, link.carrier).join(',')}>`;
      await write(ctx.stdout, `${name} ${link.operstate.padEnd(14)} ${rest}\n`);
      continue;
    }
    const lines = [linkHeader(link, byIndex)];
    if (opts.family === undefined) lines.push(linkLine(link));
    for (const a of addrs) lines.push(...addrLines(a));
    await write(ctx.stdout, `${lines.join('\n')}\n`);
  }
  if (opts.json) await write(ctx.stdout, `${JSON.stringify(json)}\n`);
  return 0;
}

interface RouteOut {
  text: string;
  json: Record<string, unknown>;
}

function withPrefix(address: string, prefix: number, full: number): string {
  if (prefix === 0) return 'default';
  return prefix === full ? address : `${address}/${prefix}`;
}

async function routes4(ctx: BuiltinContext, dev: string | undefined): Promise<RouteOut[]> {
  const text = await readOptional(join(ctx.services.procRoot, 'net', 'route'));
  const ifaces = networkInterfaces();
  const out: RouteOut[] = [];
  for (const r of parseRoute4(text ?? '')) {
    if (!(r.flags & RTF_UP) || (dev && r.iface !== dev)) continue;
    const dst = withPrefix(r.destination, r.prefixLength, 32);
    const parts: string[] = [r.flags & RTF_REJECT ? `unreachable ${dst}` : dst];
    const json: Record<string, unknown> = { dst, ...(r.flags & RTF_REJECT ? { type: 'unreachable' } : {}) };
    if (r.flags & RTF_GATEWAY) {
      parts.push(`via ${r.gateway}`);
      json.gateway = r.gateway;
    }
    parts.push(`dev ${r.iface}`);
    json.dev = r.iface;
    if (!(r.flags & RTF_GATEWAY) && r.prefixLength > 0) {
      // A directly connected prefix: the kernel route made for one of this link's addresses.
      const own = (ifaces[r.iface] ?? []).find(
        (i) => i.family === 'IPv4' && Number(i.cidr?.split('/')[1]) === r.prefixLength && addressInCidr(i.address, `${r.destination}/${r.prefixLength}`),
      );
      parts.push(own ? `proto kernel scope link src ${own.address}` : 'scope link');
      Object.assign(json, own ? { protocol: 'kernel', scope: 'link', prefsrc: own.address } : { scope: 'link' });
    }
    if (r.metric) {
      parts.push(`metric ${r.metric}`);
      json.metric = r.metric;
    }
    out.push({ text: parts.join(' '), json });
  }
  return out;
}

async function routes6(ctx: BuiltinContext, dev: string | undefined): Promise<RouteOut[]> {
  const text = await readOptional(join(ctx.services.procRoot, 'net', 'ipv6_route'));
  const out: RouteOut[] = [];
  for (const r of parseRoute6(text ?? '')) {
    if (!(r.flags & RTF_UP) || (dev && r.iface !== dev)) continue;
    // ipv6_route mixes every table; `ip -6 route` shows the main one. Local addresses,
    // multicast and the loopback reject route live in the local table.
    if (r.flags & RTF_LOCAL || r.destination.startsWith('ff') || (r.flags & RTF_REJECT && r.iface === 'lo')) continue;
    const dst = withPrefix(r.destination, r.prefixLength, 128);
    const parts: string[] = [dst];
    const json: Record<string, unknown> = { dst };
    if (r.flags & RTF_GATEWAY) {
      parts.push(`via ${r.nextHop}`);
      json.gateway = r.nextHop;
    }
    parts.push(`dev ${r.iface}`);
    json.dev = r.iface;
    if (r.flags & RTF_ADDRCONF) {
      parts.push('proto ra');
      json.protocol = 'ra';
    }
    parts.push(`metric ${r.metric}`);
    json.metric = r.metric;
    out.push({ text: parts.join(' '), json });
  }
  return out;
}

async function showRoutes(args: string[], ctx: BuiltinContext, opts: IpOptions): Promise<number> {
  const dev = parseShowArgs(args);
  const rows = [...(opts.family !== 6 ? await routes4(ctx, dev) : []), ...(opts.family === 6 ? await routes6(ctx, dev) : [])];
  if (opts.json) await write(ctx.stdout, `${JSON.stringify(rows.map((r) => r.json))}\n`);
  else if (rows.length) await write(ctx.stdout, rows.map((r) => `${r.text}\n`).join(''));
  return 0;
}

async function showNeighbours(args: string[], ctx: BuiltinContext, opts: IpOptions): Promise<number> {
  const dev = parseShowArgs(args);
  if (opts.family === 6) {
    return fail(ctx.stderr, 'ip', 'IPv6 neighbours are only reported over netlink; run the toolbox\'s busybox ip -6 neigh');
  }
  const text = await readOptional(join(ctx.services.procRoot, 'net', 'arp'));
  const rows: RouteOut[] = [];
  for (const entry of parseArp(text ?? '')) {
    if (dev && entry.iface !== dev) continue;
    // /proc/net/arp only knows complete/permanent; the finer NUD states need netlink.
    const state = entry.flags & ATF_PERM ? 'PERMANENT' : entry.flags & ATF_COM ? 'REACHABLE' : 'INCOMPLETE';
    const lladdr = entry.flags & (ATF_COM | ATF_PERM) ? ` lladdr ${entry.hwAddress}` : '';
    rows.push({
      text: `${entry.address} dev ${entry.iface}${lladdr} ${state}`,
      json: { dst: entry.address, dev: entry.iface, ...(lladdr ? { lladdr: entry.hwAddress } : {}), state: [state] },
    });
  }
  if (opts.json) await write(ctx.stdout, `${JSON.stringify(rows.map((r) => r.json))}\n`);
  else if (rows.length) await write(ctx.stdout, rows.map((r) => `${r.text}\n`).join(''));
  return 0;
}

async function runIp(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts: IpOptions = { family: undefined, json: false, brief: false };
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('-'); i++) {
    const flag = args[i]!.replace(/^--?/, '-');
    if (flag === '-help' || flag === '-h') {
      await write(ctx.stdout, `${USAGE}\n`);
      return 0;
    }
    if (flag === '-4') opts.family = 4;
    else if (flag === '-6') opts.family = 6;
    else if (flag === '-j' || flag === '-json') opts.json = true;
    else if (flag === '-br' || flag === '-brief') opts.brief = true;
    else if (flag === '-p' || flag === '-pretty') continue;
    else return fail(ctx.stderr, 'ip', `Option "${args[i]}" is unknown, try "ip --help".`, 2);
  }
  const word = args[i];
  if (word === undefined) return fail(ctx.stderr, 'ip', `missing OBJECT\n${USAGE}`, 2);
  if (word === 'help') {
    await write(ctx.stdout, `${USAGE}\n`);
    return 0;
  }
  const object = matchObject(word);
  if (!object) return fail(ctx.stderr, 'ip', `Object "${word}" is unknown, try "ip --help".`, 2);
  const rest = args.slice(i + 1);
  if (rest[0] !== undefined && CHANGE_WORDS.has(rest[0])) {
    return fail(
      ctx.stderr,
      'ip',
      `'ip ${word} ${rest[0]}' changes the network, which needs netlink (rtnetlink(7)); Node.js cannot open it.\n` +
        `Upload busybox (breakglass --debug-tarball-pattern …) and run: busybox ip ${args.slice(i).join(' ')}`,
      2,
    );
  }
  try {
    if (object === 'addr') return await showLinks(rest, ctx, opts, true);
    if (object === 'link') return await showLinks(rest, ctx, opts, false);
    if (object === 'route') return await showRoutes(rest, ctx, opts);
    return await showNeighbours(rest, ctx, opts);
  } catch (err) {
    if (err instanceof IpUsage) return fail(ctx.stderr, 'ip', err.message, err.message.startsWith('Device') ? 1 : 2);
    if (err instanceof Error && err.name === 'BrokenPipe') throw err;
    return fail(ctx.stderr, 'ip', err instanceof Error ? err.message : String(err));
  }
}

export const ip: Builtin = {
  name: 'ip',
  summary: 'show addresses, links, routes and neighbours (read-only iproute2 layout)',
  usage: USAGE,
  run: runIp,
};
