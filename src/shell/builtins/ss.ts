// ss: the same socket data as netstat in iproute2's ss(8) layout. Real ss sizes its
// columns after reading every socket; we stream instead, so columns have fixed
// minimum widths and a wide address simply pushes its row to the right.
import type { Builtin, BuiltinContext } from '../types.js';
import { OptionError } from '../options.js';
import { write } from '../../os/index.js';
import type { SocketOwner, InetSocket, UnixSocket, ListenFilter, SocketSelection } from '../../proc/index.js';
import { TCP_LISTEN, selectedTables, formatPort } from '../../proc/index.js';
import { JsonArrayStream, commandOptions, loadProcesses, parseSocketFlags, socketSelection, streamSockets } from './net-common.js';

const USAGE = `Usage: ss [-tuwxlanp46H] [--json]
Show sockets from /proc/net (iproute2 ss layout).

  -t, --tcp        TCP sockets
  -u, --udp        UDP sockets
  -w, --raw        raw sockets
  -x, --unix       Unix domain sockets
                   (default without -t/-u/-w/-x: TCP, UDP and Unix)
  -l, --listening  only listening (and unconnected UDP) sockets
  -a, --all        every socket
                   (default: connected ones, without TIME-WAIT)
  -n, --numeric    numeric ports (default: names from a small built-in table; no DNS)
  -p, --processes  users:(("name",pid=N,fd=N)) for each socket (scans /proc/*/fd)
  -4, -6           IPv4 / IPv6 only
  -H, --no-header  no header line
      --json       one JSON array of sockets
      --help       this text
The Send-Q of a listening socket (its backlog) is only known over netlink: shown as 0.`;

// include/net/tcp_states.h in ss's spelling (misc/ss.c sstate_name).
const SS_STATES: Record<number, string> = {
  1: 'ESTAB',
  2: 'SYN-SENT',
  3: 'SYN-RECV',
  4: 'FIN-WAIT-1',
  5: 'FIN-WAIT-2',
  6: 'TIME-WAIT',
  7: 'UNCONN',
  8: 'CLOSE-WAIT',
  9: 'LAST-ACK',
  10: 'LISTEN',
  11: 'CLOSING',
  12: 'SYN-RECV',
};

const ADDR_WIDTH = 20;
const PORT_WIDTH = 6;

/** ss's default filter (misc/ss.c SS_CONN): not LISTEN, UNCONN, TIME-WAIT or SYN-RECV. */
function stateMatches(state: number, filter: ListenFilter): boolean {
  if (filter === 'all') return true;
  const listening = state === TCP_LISTEN || state === 7;
  if (filter === 'listening') return listening;
  return !listening && state !== 6 && state !== 3 && state !== 12;
}

function unixSsState(socket: UnixSocket): number {
  if (socket.listening) return TCP_LISTEN;
  return socket.state === 3 ? 1 : 7;
}

const UNIX_NETID: Record<string, string> = { STREAM: 'u_str', DGRAM: 'u_dgr', SEQPACKET: 'u_seq' };

function usersColumn(owners: Map<number, SocketOwner[]> | undefined, inode: number): string {
  const list = owners?.get(inode);
  if (!list || list.length === 0) return '';
  return `users:(${list.map((o) => `(${JSON.stringify(o.comm)},pid=${o.pid},fd=${o.fd})`).join(',')})`;
}

function bracket(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

interface Row {
  netid: string;
  state: string;
  recvQ: number;
  sendQ: number;
  local: [string, string];
  peer: [string, string];
  /** Separator between address and port: ':' for inet, ' ' for unix. */
  sep: string;
  users: string;
}

function formatRow(row: Row, showNetid: boolean): string {
  const netid = showNetid ? row.netid.padEnd(6) : '';
  const local = `${row.local[0].padStart(ADDR_WIDTH)}${row.sep}${row.local[1].padEnd(PORT_WIDTH)}`;
  const peer = `${row.peer[0].padStart(ADDR_WIDTH)}${row.sep}${row.peer[1].padEnd(PORT_WIDTH)}`;
  const line = `${netid}${row.state.padEnd(10)} ${String(row.recvQ).padEnd(6)} ${String(row.sendQ).padEnd(6)} ${local} ${peer} ${row.users}`;
  return line.trimEnd();
}

function header(showNetid: boolean): string {
  const netid = showNetid ? 'Netid ' : '';
  return `${netid}${'State'.padEnd(10)} ${'Recv-Q'} ${'Send-Q'} ${'Local Address'.padStart(ADDR_WIDTH)}:${'Port'.padEnd(PORT_WIDTH)} ${'Peer Address'.padStart(ADDR_WIDTH)}:${'Port'.padEnd(PORT_WIDTH)} Process`;
}

function inetToRow(s: InetSocket, numeric: boolean, owners: Map<number, SocketOwner[]> | undefined): Row {
  return {
    netid: s.transport,
    state: SS_STATES[s.state] ?? 'UNKNOWN',
    recvQ: s.rxQueue,
    sendQ: s.txQueue,
    local: [bracket(s.localAddress), formatPort(s.localPort, s.transport, numeric)],
    peer: [bracket(s.remoteAddress), formatPort(s.remotePort, s.transport, numeric)],
    sep: ':',
    users: usersColumn(owners, s.inode),
  };
}

function unixToRow(s: UnixSocket, owners: Map<number, SocketOwner[]> | undefined): Row {
  // /proc/net/unix does not name the peer; ss shows "* <peer inode>", we show "* 0".
  return {
    netid: UNIX_NETID[s.type] ?? 'u_???',
    state: SS_STATES[unixSsState(s)]!,
    recvQ: 0,
    sendQ: 0,
    local: [s.path || '*', String(s.inode)],
    peer: ['*', '0'],
    sep: ' ',
    users: usersColumn(owners, s.inode),
  };
}

function rowJson(row: Row, inode: number, owners: Map<number, SocketOwner[]> | undefined): Record<string, unknown> {
  return {
    netid: row.netid,
    state: row.state,
    recvQ: row.recvQ,
    sendQ: row.sendQ,
    localAddress: row.local[0],
    localPort: row.local[1],
    peerAddress: row.peer[0],
    peerPort: row.peer[1],
    inode,
    ...(owners ? { users: (owners.get(inode) ?? []).map((o) => ({ name: o.comm, pid: o.pid, fd: o.fd })) } : {}),
  };
}

interface SsOptions {
  selection: SocketSelection;
  numeric: boolean;
  processes: boolean;
  header: boolean;
  json: boolean;
}

const LONG_TO_SHORT: Record<string, string> = { tcp: 't', udp: 'u', raw: 'w', unix: 'x', listening: 'l', all: 'a', numeric: 'n', processes: 'p', 'no-header': 'H' };

function parseSsArgs(args: string[]): SsOptions | 'help' {
  const { has, operands, help, json } = parseSocketFlags(args, 'tuwxlanp46He', LONG_TO_SHORT);
  if (help) return 'help';
  if (operands.length > 0) throw new OptionError(`state/address filters are not supported ('${operands[0]}'); use grep`);
  return {
    selection: socketSelection(has, true),
    numeric: has('n'),
    processes: has('p'),
    header: !has('H'),
    json,
  };
}

async function runSs(args: string[], ctx: BuiltinContext): Promise<number> {
  const options = await commandOptions(ctx, 'ss', USAGE, () => parseSsArgs(args));
  if (typeof options === 'number') return options;
  const { selection, numeric, json } = options;
  const processes = await loadProcesses(ctx, 'ss', options.processes, async (owners) => ({ owners }));
  if (typeof processes === 'number') return processes;
  const { owners } = processes;
  // ss shows the Netid column when more than one socket kind can appear (unix has three).
  const kinds = [selection.tcp, selection.udp, selection.raw].filter(Boolean).length + (selection.unix ? 3 : 0);
  const showNetid = kinds > 1;
  const array = new JsonArrayStream();
  const emit = (row: Row, inode: number): string =>
    json ? array.item(rowJson(row, inode, owners)) : `${formatRow(row, showNetid)}\n`;
  if (!json && options.header) await write(ctx.stdout, `${header(showNetid)}\n`);
  const code = await streamSockets(ctx, 'ss', {
    tables: selectedTables(selection),
    inet: (socket) => (stateMatches(socket.state, selection.filter) ? emit(inetToRow(socket, numeric, owners), socket.inode) : ''),
    unix: selection.unix
      ? { row: (socket) => (stateMatches(unixSsState(socket), selection.filter) ? emit(unixToRow(socket, owners), socket.inode) : '') }
      : undefined,
  });
  if (code === 0 && json) await write(ctx.stdout, array.end());
  return code;
}

export const ss: Builtin = {
  name: 'ss',
  summary: 'socket statistics (iproute2 ss layout)',
  usage: USAGE,
  run: runSs,
};
