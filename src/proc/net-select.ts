// Which sockets `netstat` and `ss` show: the socket kinds asked for (-t -u -w -x) and
// the listening filter (-l only servers, -a everything, default connections only).
// Pure, shared by both built-ins so they always agree on the data.
import { isListening } from './net-sockets.js';
import type { InetSocket, InetTable, UnixSocket } from './net-sockets.js';

export type ListenFilter = 'listening' | 'connected' | 'all';

export interface SocketSelection {
  tcp: boolean;
  udp: boolean;
  raw: boolean;
  unix: boolean;
  filter: ListenFilter;
  /** IPv4 / IPv6 restriction (-4 / -6); both when neither given. */
  ipv4: boolean;
  ipv6: boolean;
}

/** The /proc/net tables to read for a selection, IPv4 before IPv6 per transport. */
export function selectedTables(sel: SocketSelection): InetTable[] {
  const tables: InetTable[] = [];
  const add = (v4: InetTable, v6: InetTable): void => {
    if (sel.ipv4) tables.push(v4);
    if (sel.ipv6) tables.push(v6);
  };
  if (sel.tcp) add('tcp', 'tcp6');
  if (sel.udp) add('udp', 'udp6');
  if (sel.raw) add('raw', 'raw6');
  return tables;
}

export function filterFromFlags(listening: boolean, all: boolean): ListenFilter {
  if (all) return 'all';
  return listening ? 'listening' : 'connected';
}

export function inetMatches(socket: InetSocket, filter: ListenFilter): boolean {
  if (filter === 'all') return true;
  return isListening(socket) === (filter === 'listening');
}

export function unixMatches(socket: UnixSocket, filter: ListenFilter): boolean {
  if (filter === 'all') return true;
  return socket.listening === (filter === 'listening');
}
