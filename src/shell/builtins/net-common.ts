// What netstat and ss share around the socket data (proc/net-select.ts decides which
// sockets): their -t -u -w -x -l -a -4 -6 flags, streaming the /proc/net tables batch by
// batch, and the --json array written as rows arrive. Each keeps its own layout.
import { join } from 'node:path';
import type { BuiltinContext } from '../types.js';
import { OptionError, parseOptions } from '../options.js';
import { fail } from './io.js';
import { write } from '../../os/index.js';
import { messageOf } from '../../common/index.js';
import { readInetSockets, readSocketOwners, readUnixSockets, filterFromFlags } from '../../proc/index.js';
import type { SocketOwner, InetSocket, InetTable, UnixSocket, SocketSelection } from '../../proc/index.js';

export interface SocketFlags {
  /** A short flag given as itself or as its long alias (`-t` or `--tcp`). */
  has(letter: string): boolean;
  operands: string[];
  help: boolean;
  json: boolean;
}

/** Parses short `flags`, the long aliases in `longToShort` and `--json`. */
export function parseSocketFlags(args: string[], flags: string, longToShort: Record<string, string>): SocketFlags {
  const opts = parseOptions(args, {
    flags,
    long: { json: false, ...Object.fromEntries(Object.keys(longToShort).map((k) => [k, false])) },
  });
  const has = (letter: string): boolean =>
    opts.has(letter) || Object.entries(longToShort).some(([long, short]) => short === letter && opts.has(long));
  return { has, operands: opts.operands, help: opts.has('help'), json: opts.has('json') };
}

/**
 * The selection from -t -u -w -x -l -a -4 -6. Without a kind flag TCP and UDP are listed,
 * and Unix sockets too when `unixByDefault` (ss, unless -4/-6 narrows it; netstat needs -x).
 */
export function socketSelection(has: (letter: string) => boolean, unixByDefault: boolean): SocketSelection {
  const anyKind = has('t') || has('u') || has('w') || has('x');
  const only4 = has('4') && !has('6');
  const only6 = has('6') && !has('4');
  return {
    tcp: anyKind ? has('t') : true,
    udp: anyKind ? has('u') : true,
    raw: has('w'),
    unix: anyKind ? has('x') : unixByDefault && !only4 && !only6,
    filter: filterFromFlags(has('l'), has('a')),
    ipv4: !only6,
    ipv6: !only4,
  };
}

/**
 * Runs `parse`: the options, or the exit status when the command is already done
 * (--help printed; a bad option reported with exit 2 as `NAME: message` + a hint).
 */
export async function commandOptions<T extends object>(
  ctx: BuiltinContext,
  name: string,
  usage: string,
  parse: () => T | 'help',
): Promise<T | number> {
  let options: T | 'help';
  try {
    options = parse();
  } catch (err) {
    if (err instanceof OptionError) return fail(ctx.stderr, name, `${err.message}\nTry '${name} --help'.`, 2);
    throw err;
  }
  if (options !== 'help') return options;
  await write(ctx.stdout, `${usage}\n`);
  return 0;
}

/**
 * What -p (and netstat's -e) need from /proc/*: `load` gets the socket owners (only when
 * `program`); a failure is `NAME: cannot list processes in PROC: …` and its exit status.
 */
export async function loadProcesses<T extends object>(
  ctx: BuiltinContext,
  name: string,
  program: boolean,
  load: (owners: Map<number, SocketOwner[]> | undefined) => Promise<T>,
): Promise<T | number> {
  const procRoot = ctx.services.procRoot;
  try {
    return await load(program ? await readSocketOwners(procRoot) : undefined);
  } catch (err) {
    return fail(ctx.stderr, name, `cannot list processes in ${procRoot}: ${messageOf(err)}`);
  }
}

/** `[`, items separated by `,\n`, `]`: written piece by piece so rows stream. */
export class JsonArrayStream {
  private first = true;

  item(value: Record<string, unknown>): string {
    const text = `${this.first ? '[\n' : ',\n'}${JSON.stringify(value)}`;
    this.first = false;
    return text;
  }

  end(): string {
    return this.first ? '[]\n' : '\n]\n';
  }
}

export interface SocketListing {
  tables: InetTable[];
  /** Written before the inet rows when any table is read. */
  inetHeader?: string | undefined;
  /** One socket's output ('' to skip it). */
  inet(socket: InetSocket): string;
  /** Unix sockets, when selected. */
  unix?: { header?: string | undefined; row(socket: UnixSocket): string } | undefined;
}

/**
 * Writes the listing a batch at a time. 0 when done, 130 when interrupted, 1 (with
 * `NAME: cannot read PROC/net: …`) when /proc cannot be read; BrokenPipe propagates.
 */
export async function streamSockets(ctx: BuiltinContext, name: string, listing: SocketListing): Promise<number> {
  const procRoot = ctx.services.procRoot;
  try {
    if (listing.tables.length > 0 && listing.inetHeader) await write(ctx.stdout, listing.inetHeader);
    for await (const batch of readInetSockets(procRoot, listing.tables)) {
      if (ctx.signal.aborted) return 130;
      const out = batch.map((socket) => listing.inet(socket)).join('');
      if (out) await write(ctx.stdout, out);
    }
    const unix = listing.unix;
    if (unix) {
      if (unix.header) await write(ctx.stdout, unix.header);
      for await (const batch of readUnixSockets(procRoot)) {
        if (ctx.signal.aborted) return 130;
        const out = batch.map((socket) => unix.row(socket)).join('');
        if (out) await write(ctx.stdout, out);
      }
    }
  } catch (err) {
    if (err instanceof Error && err.name === 'BrokenPipe') throw err;
    return fail(ctx.stderr, name, `cannot read ${join(procRoot, 'net')}: ${messageOf(err)}`);
  }
  return 0;
}
