// netstat: net-tools' socket listing from /proc/net (netstat(8)). Rows stream as the
// tables are read; /proc/*/fd is scanned only for -p.
import { join } from 'node:path';
import type { Builtin, BuiltinContext } from '../types.js';
import { OptionError } from '../options.js';
import { fail } from './io.js';
import { write } from '../../os/index.js';
import { messageOf } from '../../common/index.js';
import { readOptional, parseNetDev, parseRoute4, IFF, readLinks, parsePasswd, userName, TCP_STATE_NAMES, inetMatches, selectedTables, unixMatches, formatPort } from '../../proc/index.js';
import { INTERFACE_HEADER, ROUTE_HEADER, interfaceFlags, interfaceRow, routeRow } from './netstat-tables.js';
import type { SocketOwner, InetSocket, UnixSocket, ListenFilter, SocketSelection } from '../../proc/index.js';
import { JsonArrayStream, commandOptions, loadProcesses, parseSocketFlags, socketSelection, streamSockets } from './net-common.js';

const USAGE = `Usage: netstat [-tuwxlanpe46] [--json]
       netstat -r [-n]   kernel IP routing table
       netstat -i [-a]   kernel interface table
Show network connections from /proc/net (net-tools layout).

  -t, --tcp        TCP sockets
  -u, --udp        UDP sockets
  -w, --raw        raw sockets
  -x, --unix       Unix domain sockets
                   (default without -t/-u/-w/-x: TCP and UDP)
  -l, --listening  only listening sockets (servers)
  -a, --all        listening and connected sockets
                   (default: connections only)
  -n, --numeric    numeric ports (default: names from a small built-in table; no DNS)
  -p, --program    PID/program name owning each socket (scans /proc/*/fd)
  -e, --extend     User and Inode columns
  -r, --route      the IPv4 routing table (/proc/net/route)
  -i, --interfaces per-interface packet counters (/proc/net/dev); -a includes down ones
  -4, -6           IPv4 / IPv6 only
      --json       one JSON array of sockets
      --help       this text`;

const LONG_TO_SHORT: Record<string, string> = {
  tcp: 't', udp: 'u', raw: 'w', unix: 'x', listening: 'l', all: 'a', numeric: 'n', program: 'p', extend: 'e', route: 'r', interfaces: 'i',
};

const TITLE: Record<ListenFilter, string> = {
  listening: 'only servers',
  connected: 'w/o servers',
  all: 'servers and established',
};

const PROGRAM_WIDTH = 20;

function inetHeader(user: boolean, program: boolean): string {
  return `Proto Recv-Q Send-Q Local Address           Foreign Address         State      ${user ? ' User       Inode     ' : ''}${program ? ' PID/Program name    ' : ''}`;
}

function unixHeader(program: boolean): string {
  return `Proto RefCnt Flags       Type       State         I-Node  ${program ? ' PID/Program name    ' : ''} Path`;
}

function programColumn(owners: Map<number, SocketOwner[]> | undefined, inode: number): string {
  const owner = owners?.get(inode)?.[0];
  // net-tools prints "-" for sockets whose owner it cannot see (other namespaces, inode 0).
  return owner ? `${owner.pid}/${owner.comm}` : '-';
}

function inetState(socket: InetSocket): string {
  if (socket.transport === 'tcp') return TCP_STATE_NAMES[socket.state] ?? 'UNKNOWN';
  // net-tools: UDP shows ESTABLISHED for connected sockets, blank otherwise; raw the number.
  if (socket.transport === 'udp') return socket.state === 1 ? 'ESTABLISHED' : '';
  return String(socket.state);
}

/** `-e`: the uid's name (numeric with -n), as net-tools prints it. */
type UserColumn = ((uid: number) => string) | undefined;

function inetRow(socket: InetSocket, numeric: boolean, owners: Map<number, SocketOwner[]> | undefined, user: UserColumn): string {
  const local = `${socket.localAddress}:${formatPort(socket.localPort, socket.transport, numeric)}`;
  const remote = `${socket.remoteAddress}:${formatPort(socket.remotePort, socket.transport, numeric)}`;
  // net-tools: "%-4s  %6ld %6ld %-23s %-23s %-11s", " %-10s %-10lu" for -e, " %-20s" for -p.
  let row = `${socket.table.padEnd(4)}  ${String(socket.rxQueue).padStart(6)} ${String(socket.txQueue).padStart(6)} ${local.padEnd(23)} ${remote.padEnd(23)} ${inetState(socket).padEnd(11)}`;
  if (user) row += ` ${user(socket.uid).padEnd(10)} ${String(socket.inode).padEnd(10)}`;
  if (owners) row += ` ${programColumn(owners, socket.inode).padEnd(PROGRAM_WIDTH)}`;
  return row;
}

const UNIX_STATES: Record<number, string> = { 2: 'CONNECTING', 3: 'CONNECTED', 4: 'DISCONNECTING' };

function unixState(socket: UnixSocket): string {
  if (socket.listening) return 'LISTENING';
  return UNIX_STATES[socket.state] ?? '';
}

function unixRow(socket: UnixSocket, owners: Map<number, SocketOwner[]> | undefined): string {
  const flags = socket.listening ? '[ ACC ]' : '[ ]';
  let row = `unix  ${String(socket.refCount).padEnd(6)} ${flags.padEnd(11)} ${socket.type.padEnd(10)} ${unixState(socket).padEnd(13)} ${String(socket.inode).padEnd(8)}`;
  if (owners) row += ` ${programColumn(owners, socket.inode).padEnd(PROGRAM_WIDTH)}`;
  return `${row} ${socket.path}`;
}

function inetJson(socket: InetSocket, owners: Map<number, SocketOwner[]> | undefined): Record<string, unknown> {
  const owner = owners?.get(socket.inode)?.[0];
  return {
    proto: socket.table,
    recvQ: socket.rxQueue,
    sendQ: socket.txQueue,
    localAddress: socket.localAddress,
    localPort: socket.localPort,
    foreignAddress: socket.remoteAddress,
    foreignPort: socket.remotePort,
    state: inetState(socket),
    uid: socket.uid,
    inode: socket.inode,
    ...(owners ? { pid: owner?.pid ?? null, program: owner?.comm ?? null } : {}),
  };
}

function unixJson(socket: UnixSocket, owners: Map<number, SocketOwner[]> | undefined): Record<string, unknown> {
  const owner = owners?.get(socket.inode)?.[0];
  return {
    proto: 'unix',
    refCnt: socket.refCount,
    flags: socket.listening ? ['ACC'] : [],
    type: socket.type,
    state: unixState(socket),
    inode: socket.inode,
    path: socket.path,
    ...(owners ? { pid: owner?.pid ?? null, program: owner?.comm ?? null } : {}),
  };
}

interface NetstatOptions {
  mode: 'sockets' | 'route' | 'interfaces';
  selection: SocketSelection;
  numeric: boolean;
  program: boolean;
  extend: boolean;
  json: boolean;
}

function parseNetstatArgs(args: string[]): NetstatOptions | 'help' {
  const { has, operands, help, json } = parseSocketFlags(args, 'tuwxlanp46eri', LONG_TO_SHORT);
  if (help) return 'help';
  if (operands.length > 0) throw new OptionError(`unexpected argument '${operands[0]}'`);
  if (has('r') && has('i')) throw new OptionError('-r and -i cannot be combined');
  return {
    mode: has('r') ? 'route' : has('i') ? 'interfaces' : 'sockets',
    selection: socketSelection(has, false),
    numeric: has('n'),
    program: has('p'),
    extend: has('e'),
    json,
  };
}

async function userColumn(numeric: boolean): Promise<(uid: number) => string> {
  if (numeric) return (uid) => String(uid);
  // Appliances often have no /etc/passwd: uid 0 is still root, others stay numeric.
  const names = parsePasswd((await readOptional('/etc/passwd').catch(() => undefined)) ?? '');
  return (uid) => userName(names, uid);
}

async function runRoutes(ctx: BuiltinContext, numeric: boolean, json: boolean): Promise<number> {
  const routes = parseRoute4((await readOptional(join(ctx.services.procRoot, 'net', 'route'))) ?? '');
  if (json) {
    await write(ctx.stdout, `${JSON.stringify(routes)}\n`);
    return 0;
  }
  await write(ctx.stdout, [...ROUTE_HEADER, ...routes.map((r) => routeRow(r, numeric))].map((l) => `${l}\n`).join(''));
  return 0;
}

async function runInterfaces(ctx: BuiltinContext, all: boolean, json: boolean): Promise<number> {
  const counters = parseNetDev((await readOptional(join(ctx.services.procRoot, 'net', 'dev'))) ?? '');
  const links = new Map((await readLinks(ctx.services.sysRoot).catch(() => [])).map((l) => [l.ifname, l]));
  const rows: string[] = [];
  const items: Array<Record<string, unknown>> = [];
  for (const c of counters) {
    const link = links.get(c.iface);
    // net-tools lists only interfaces that are up unless -a.
    if (!all && link && !(link.flags & IFF.UP)) continue;
    const flags = interfaceFlags(link?.flags ?? 0, link?.carrier ?? false);
    rows.push(interfaceRow(c, link?.mtu ?? 0, flags));
    items.push({ ...c, mtu: link?.mtu ?? null, flags });
  }
  if (json) await write(ctx.stdout, `${JSON.stringify(items)}\n`);
  else await write(ctx.stdout, [...INTERFACE_HEADER, ...rows].map((l) => `${l}\n`).join(''));
  return 0;
}

async function runNetstat(args: string[], ctx: BuiltinContext): Promise<number> {
  const options = await commandOptions(ctx, 'netstat', USAGE, () => parseNetstatArgs(args));
  if (typeof options === 'number') return options;
  const { selection, numeric, json } = options;
  try {
    if (options.mode === 'route') return await runRoutes(ctx, numeric, json);
    if (options.mode === 'interfaces') return await runInterfaces(ctx, selection.filter === 'all', json);
  } catch (err) {
    if (err instanceof Error && err.name === 'BrokenPipe') throw err;
    return fail(ctx.stderr, 'netstat', messageOf(err));
  }
  const processes = await loadProcesses(ctx, 'netstat', options.program, async (owners) => ({
    owners,
    user: options.extend ? await userColumn(numeric) : undefined,
  }));
  if (typeof processes === 'number') return processes;
  const { owners, user } = processes;
  const array = new JsonArrayStream();
  const code = await streamSockets(ctx, 'netstat', {
    tables: selectedTables(selection),
    inetHeader: json ? undefined : `Active Internet connections (${TITLE[selection.filter]})\n${inetHeader(user !== undefined, owners !== undefined)}\n`,
    inet: (socket) => {
      if (!inetMatches(socket, selection.filter)) return '';
      return json ? array.item(inetJson(socket, owners)) : `${inetRow(socket, numeric, owners, user)}\n`;
    },
    unix: selection.unix
      ? {
          header: json ? undefined : `Active UNIX domain sockets (${TITLE[selection.filter]})\n${unixHeader(owners !== undefined)}\n`,
          row: (socket) => {
            if (!unixMatches(socket, selection.filter)) return '';
            return json ? array.item(unixJson(socket, owners)) : `${unixRow(socket, owners)}\n`;
          },
        }
      : undefined,
  });
  if (code === 0 && json) await write(ctx.stdout, array.end());
  return code;
}

export const netstat: Builtin = {
  name: 'netstat',
  summary: 'network connections and listening sockets (net-tools layout)',
  usage: USAGE,
  run: runNetstat,
};
