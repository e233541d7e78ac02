// ss: the same socket data as netstat in iproute2's ss(8) layout. Real ss sizes its
// columns after reading every socket; we stream instead, so columns have fixed
// minimum widths and a wide address simply pushes its row to the right.
import type { Builtin, BuiltinContext } from '../types.js';
import { OptionError, parseOptions } from './options.js';
import { fail, write } from './io.js';
import { readInetSockets, readSocketOwners, readUnixSockets } from '../../proc/net-read.js';
import type { SocketOwner } from '../../proc/net-read.js';
import { TCP_LISTEN } from '../../proc/net-sockets.js';
import type { InetSocket, UnixSocket } from '../../proc/net-sockets.js';
import { filterFromFlags, selectedTables } from '../../proc/net-select.js';
import type { ListenFilter, SocketSelection } from '../../proc/net-select.js';
import { formatPort } from '../../proc/net-services.js';

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
  const opts = parseOptions(args, {
    flags: 'tuwxlanp46He',
    long: { json: false, ...Object.fromEntries(Object.keys(LONG_TO_SHORT).map((k) => [k, false])) },
  });
  if (opts.has('help')) return 'help';
  if (opts.operands.length > 0) throw new OptionError(`state/address filters are not supported ('${opts.operands[0]}'); use grep`);
  const has = (letter: string): boolean =>
    opts.has(letter) || Object.entries(LONG_TO_SHORT).some(([long, short]) => short === letter && opts.has(long));
  const anyKind = has('t') || has('u') || has('w') || has('x');
  const only4 = has('4') && !has('6');
  const only6 = has('6') && !has('4');
  return {
    selection: {
      tcp: anyKind ? has('t') : true,
      udp: anyKind ? has('u') : true,
      raw: has('w'),
      unix: anyKind ? has('x') : !only4 && !only6,
      filter: filterFromFlags(has('l'), has('a')),
      ipv4: !only6,
      ipv6: !only4,
    },
    numeric: has('n'),
    processes: has('p'),
    header: !has('H'),
    json: opts.has('json'),
  };
}

async function runSs(args: string[], ctx: BuiltinContext): Promise<number> {
  let options: SsOptions | 'help';
  try {
    options = parseSsArgs(args);
  } catch (err) {
    if (err instanceof OptionError) return fail(ctx.stderr, 'ss', `${err.message}\nTry 'ss --help'.`, 2);
    throw err;
  }
  if (options === 'help') {
    await write(ctx.stdout, `${USAGE}\n`);
    return 0;
  }
  const { selection, numeric, json } = options;
  const procRoot = ctx.services.procRoot;
  let owners: Map<number, SocketOwner[]> | undefined;
  try {
    owners = options.processes ? await readSocketOwners(procRoot) : undefined;
  } catch (err) {
    return fail(ctx.stderr, 'ss', `cannot list processes in ${procRoot}: ${err instanceof Error ? err.message : String(err)}`);
  }
  // ss shows the Netid column when more than one socket kind can appear (unix has three).
  const kinds = [selection.tcp, selection.udp, selection.raw].filter(Boolean).length + (selection.unix ? 3 : 0);
  const showNetid = kinds > 1;
  let first = true;
  const emit = (row: Row, inode: number): string => {
    if (!json) return `${formatRow(row, showNetid)}\n`;
    const text = `${first ? '[\n' : ',\n'}${JSON.stringify(rowJson(row, inode, owners))}`;
    first = false;
    return text;
  };
  try {
    if (!json && options.header) await write(ctx.stdout, `${header(showNetid)}\n`);
    for await (const batch of readInetSockets(procRoot, selectedTables(selection))) {
      if (ctx.signal.aborted) return 130;
      let out = '';
      for (const socket of batch) {
        if (stateMatches(socket.state, selection.filter)) out += emit(inetToRow(socket, numeric, owners), socket.inode);
      }
      if (out) await write(ctx.stdout, out);
    }
    if (selection.unix) {
      for await (const batch of readUnixSockets(procRoot)) {
        if (ctx.signal.aborted) return 130;
        let out = '';
        for (const socket of batch) {
          if (stateMatches(unixSsState(socket), selection.filter)) out += emit(unixToRow(socket, owners), socket.inode);
        }
        if (out) await write(ctx.stdout, out);
      }
    }
  } catch (err) {
    if (err instanceof Error && err.name === 'BrokenPipe') throw err;
    return fail(ctx.stderr, 'ss', `cannot read ${procRoot}/net: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (json) await write(ctx.stdout, first ? '[]\n' : '\n]\n');
  return 0;
}

export const ss: Builtin = {
  name: 'ss',
  summary: 'socket statistics (iproute2 ss layout)',
  usage: USAGE,
  run: runSs,
};
