// Pure parsers of the socket tables in /proc/net: tcp, tcp6, udp, udp6, raw, raw6
// (one line per socket, proc(5) "/proc/net/tcp") and unix (proc(5) "/proc/net/unix").
// They take one line at a time so a reader can stream large tables without holding
// them whole.
import { hexToIPv4, hexToIPv6Words } from './net-addr.js';

export type InetTable = 'tcp' | 'tcp6' | 'udp' | 'udp6' | 'raw' | 'raw6';
export type Transport = 'tcp' | 'udp' | 'raw';

export interface InetSocket {
  /** The /proc/net file it came from; net-tools prints this as Proto. */
  table: InetTable;
  transport: Transport;
  family: 4 | 6;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** Kernel socket state (include/net/tcp_states.h); UDP uses 1 and 7 too. */
  state: number;
  txQueue: number;
  rxQueue: number;
  uid: number;
  inode: number;
}

/** include/net/tcp_states.h, spelled as net-tools prints them. */
export const TCP_STATE_NAMES: Readonly<Record<number, string>> = {
  1: 'ESTABLISHED',
  2: 'SYN_SENT',
  3: 'SYN_RECV',
  4: 'FIN_WAIT1',
  5: 'FIN_WAIT2',
  6: 'TIME_WAIT',
  7: 'CLOSE',
  8: 'CLOSE_WAIT',
  9: 'LAST_ACK',
  10: 'LISTEN',
  11: 'CLOSING',
  12: 'NEW_SYN_RECV',
};

export const TCP_LISTEN = 10;
export const TCP_CLOSE = 7;
export const TCP_ESTABLISHED = 1;

const TABLE_INFO: Record<InetTable, { transport: Transport; family: 4 | 6 }> = {
  tcp: { transport: 'tcp', family: 4 },
  tcp6: { transport: 'tcp', family: 6 },
  udp: { transport: 'udp', family: 4 },
  udp6: { transport: 'udp', family: 6 },
  raw: { transport: 'raw', family: 4 },
  raw6: { transport: 'raw', family: 6 },
};

export class NetParseError extends Error {
  override name = 'NetParseError';
  constructor(
    message: string,
    readonly line: string,
  ) {
    super(message);
  }
}

const HEX32 = /^[0-9A-Fa-f]{8}$/;
const HEX128 = /^[0-9A-Fa-f]{32}$/;

function splitEndpoint(text: string, family: 4 | 6, line: string): [string, number] {
  const colon = text.indexOf(':');
  const addrHex = text.slice(0, colon);
  const portHex = text.slice(colon + 1);
  if (colon === -1 || !(family === 4 ? HEX32 : HEX128).test(addrHex) || !/^[0-9A-Fa-f]{4}$/.test(portHex)) {
    throw new NetParseError(`bad endpoint ${JSON.stringify(text)}`, line);
  }
  const address = family === 4 ? hexToIPv4(addrHex) : hexToIPv6Words(addrHex);
  return [address, parseInt(portHex, 16)];
}

// Decoded addresses repeat (every connection to the same service): remember them.
const addressCache = new Map<string, string>();
function decodeAddress(hex: string, family: 4 | 6): string {
  let text = addressCache.get(hex);
  if (text === undefined) {
    text = family === 4 ? hexToIPv4(hex) : hexToIPv6Words(hex);
    if (addressCache.size > 4096) addressCache.clear();
    addressCache.set(hex, text);
  }
  return text;
}

function isHex(line: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = line.charCodeAt(i) | 0x20;
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/** Next whitespace-separated decimal field from `pos`: [value, end] or undefined. */
function nextDecimal(line: string, pos: number): [number, number] | undefined {
  while (line.charCodeAt(pos) === 0x20) pos++;
  const start = pos;
  while (pos < line.length && line.charCodeAt(pos) !== 0x20) pos++;
  if (pos === start) return undefined;
  const value = Number(line.slice(start, pos));
  return Number.isNaN(value) ? undefined : [value, pos];
}

/**
 * The fixed-width part of a socket line, as the kernel prints it (net/ipv4/tcp_ipv4.c
 * get_tcp4_sock: "%4d: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8d %lu"),
 * decoded by position without splitting: `netstat` on thousands of sockets spends
 * its time here. Returns undefined when the layout differs (then the general parser
 * reports what is wrong).
 */
function parseFast(line: string, table: InetTable, transport: Transport, family: 4 | 6): InetSocket | undefined {
  const colon = line.indexOf(': ');
  if (colon === -1) return undefined;
  const alen = family === 4 ? 8 : 32;
  let p = colon + 2;
  const l0 = p;
  const lp = l0 + alen + 1;
  const r0 = lp + 5;
  const rp = r0 + alen + 1;
  const st = rp + 5;
  const tx = st + 3;
  const rx = tx + 9;
  p = rx + 8;
  if (
    line.length < p ||
    line.charCodeAt(lp - 1) !== 0x3a || line.charCodeAt(r0 - 1) !== 0x20 || line.charCodeAt(rp - 1) !== 0x3a ||
    line.charCodeAt(st - 1) !== 0x20 || line.charCodeAt(tx - 1) !== 0x20 || line.charCodeAt(rx - 1) !== 0x3a ||
    !isHex(line, l0, lp - 1) || !isHex(line, lp, lp + 4) || !isHex(line, r0, rp - 1) || !isHex(line, rp, rp + 4) ||
    !isHex(line, st, st + 2) || !isHex(line, tx, tx + 8) || !isHex(line, rx, rx + 8)
  ) {
    return undefined;
  }
  // Skip "tr:tm->when retrnsmt", then uid, timeout, inode.
  p = line.indexOf(' ', p + 1);
  if (p === -1) return undefined;
  p = line.indexOf(' ', p + 1);
  if (p === -1) return undefined;
  const uid = nextDecimal(line, p);
  const timeout = uid && nextDecimal(line, uid[1]);
  const inode = timeout && nextDecimal(line, timeout[1]);
  if (!inode) return undefined;
  return {
    table,
    transport,
    family,
    localAddress: decodeAddress(line.slice(l0, lp - 1), family),
    localPort: parseInt(line.slice(lp, lp + 4), 16),
    remoteAddress: decodeAddress(line.slice(r0, rp - 1), family),
    remotePort: parseInt(line.slice(rp, rp + 4), 16),
    state: parseInt(line.slice(st, st + 2), 16),
    txQueue: parseInt(line.slice(tx, tx + 8), 16),
    rxQueue: parseInt(line.slice(rx, rx + 8), 16),
    uid: uid![0],
    inode: inode[0],
  };
}

/**
 * One line of /proc/net/{tcp,udp,raw}{,6}. Returns undefined for the header line.
 * Layout: `sl local rem st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …`.
 */
export function parseInetSocketLine(line: string, table: InetTable): InetSocket | undefined {
  const { transport, family } = TABLE_INFO[table];
  const fast = parseFast(line, table, transport, family);
  if (fast) return fast;
  const fields = line.trim().split(/\s+/);
  if (fields.length === 0 || fields[0] === '' || fields[0] === 'sl') return undefined;
  if (fields.length < 10 || !fields[0]!.endsWith(':')) {
    throw new NetParseError(`/proc/net/${table}: expected at least 10 fields`, line);
  }
  const [localAddress, localPort] = splitEndpoint(fields[1]!, family, line);
  const [remoteAddress, remotePort] = splitEndpoint(fields[2]!, family, line);
  const queues = fields[4]!.split(':');
  const state = parseInt(fields[3]!, 16);
  const inode = Number(fields[9]);
  if (Number.isNaN(state) || queues.length !== 2 || !Number.isInteger(inode)) {
    throw new NetParseError(`/proc/net/${table}: bad state, queue or inode field`, line);
  }
  return {
    table,
    transport,
    family,
    localAddress,
    localPort,
    remoteAddress,
    remotePort,
    state,
    txQueue: parseInt(queues[0]!, 16),
    rxQueue: parseInt(queues[1]!, 16),
    uid: Number(fields[7]),
    inode,
  };
}

/** Every socket in a whole table text (for tests and small files). */
export function parseInetSockets(text: string, table: InetTable): InetSocket[] {
  const out: InetSocket[] = [];
  for (const line of text.split('\n')) {
    const socket = parseInetSocketLine(line, table);
    if (socket) out.push(socket);
  }
  return out;
}

export type UnixType = 'STREAM' | 'DGRAM' | 'SEQPACKET' | 'RAW' | 'RDM' | 'UNKNOWN';

export interface UnixSocket {
  refCount: number;
  /** Socket flags; __SO_ACCEPTCON (1 << 16) marks a listening socket. */
  flags: number;
  type: UnixType;
  /** socket_state: 1 unconnected, 2 connecting, 3 connected, 4 disconnecting. */
  state: number;
  inode: number;
  /** File system path, `@name` for the abstract namespace, '' when unbound. */
  path: string;
  listening: boolean;
}

/** include/linux/net.h SO_ACCEPTCON as shown in /proc/net/unix. */
export const UNIX_ACCEPTCON = 0x10000;

const UNIX_TYPES: Record<number, UnixType> = { 1: 'STREAM', 2: 'DGRAM', 3: 'RAW', 4: 'RDM', 5: 'SEQPACKET' };

/**
 * One line of /proc/net/unix: `Num RefCount Protocol Flags Type St Inode Path`
 * (net/unix/af_unix.c unix_seq_show). Undefined for the header.
 */
export function parseUnixSocketLine(line: string): UnixSocket | undefined {
  if (line.trim() === '' || line.startsWith('Num')) return undefined;
  // The path may contain spaces: split the first seven fields, the rest is the path.
  const match = /^\s*[0-9A-Fa-f]+:\s+([0-9A-Fa-f]+)\s+[0-9A-Fa-f]+\s+([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+([0-9A-Fa-f]+)\s+(\d+)(?: (.*))?$/.exec(line);
  if (!match) throw new NetParseError('/proc/net/unix: unexpected line layout', line);
  const flags = parseInt(match[2]!, 16);
  return {
    refCount: parseInt(match[1]!, 16),
    flags,
    type: UNIX_TYPES[parseInt(match[3]!, 16)] ?? 'UNKNOWN',
    state: parseInt(match[4]!, 16),
    inode: Number(match[5]),
    path: match[6] ?? '',
    listening: (flags & UNIX_ACCEPTCON) !== 0,
  };
}

export function parseUnixSockets(text: string): UnixSocket[] {
  const out: UnixSocket[] = [];
  for (const line of text.split('\n')) {
    const socket = parseUnixSocketLine(line);
    if (socket) out.push(socket);
  }
  return out;
}

/**
 * Listening in net-tools' sense: TCP in LISTEN; UDP/raw bound without a peer
 * (netstat -l lists those, netstat without -l hides them).
 */
export function isListening(socket: InetSocket): boolean {
  if (socket.transport === 'tcp') return socket.state === TCP_LISTEN;
  return socket.remotePort === 0 && (socket.remoteAddress === '0.0.0.0' || socket.remoteAddress === '::');
}

/** `socket:[12345]` (readlink of /proc/PID/fd/N) → 12345. */
export function socketInodeFromLink(link: string): number | undefined {
  if (!link.startsWith('socket:[') || !link.endsWith(']')) return undefined;
  const inode = Number(link.slice(8, -1));
  return Number.isInteger(inode) ? inode : undefined;
}
