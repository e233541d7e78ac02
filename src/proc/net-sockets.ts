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

/**
 * One line of /proc/net/{tcp,udp,raw}{,6}. Returns undefined for the header line.
 * Layout: `sl local rem st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …`.
 */
export function parseInetSocketLine(line: string, table: InetTable): InetSocket | undefined {
  const fields = line.trim().split(/\s+/);
  if (fields.length === 0 || fields[0] === '' || fields[0] === 'sl') return undefined;
  if (fields.length < 10 || !fields[0]!.endsWith(':')) {
    throw new NetParseError(`/proc/net/${table}: expected at least 10 fields`, line);
  }
  const { transport, family } = TABLE_INFO[table];
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
