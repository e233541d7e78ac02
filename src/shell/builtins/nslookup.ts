// nslookup / host: name and address lookups over node:dns in busybox nslookup(1) and
// bind host(1) layouts. Without a SERVER argument names resolve the way the device's
// own programs see them (getaddrinfo: /etc/hosts, then DNS); with one, the query
// goes to that server directly (resolve4/resolve6/reverse).
import { getServers, lookup, lookupService, Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { nodeFileSystem } from '../files/index.js';
import type { FileSystem } from '../files/index.js';
import type { Builtin, BuiltinContext } from '../types.js';
import { OptionError, parseOptions } from '../options.js';
import { fail } from './io.js';
import { write, errnoCode } from '../../os/index.js';
import { ipv6Groups } from '../../common/index.js';

interface Answer {
  family: 4 | 6;
  address: string;
}

class NotFound extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** `1.2.3.4` → `4.3.2.1.in-addr.arpa`; IPv6 → nibbles under ip6.arpa (RFC 3596 §2.5). */
export function reverseName(address: string): string {
  if (isIP(address) === 4) return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
  const nibbles = ipv6Groups(address)
    .map((g) => g.toString(16).padStart(4, '0'))
    .join('')
    .split('');
  return `${nibbles.reverse().join('.')}.ip6.arpa`;
}

function reasonOf(err: unknown): string {
  const code = errnoCode(err);
  if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'EAI_NONAME') return 'NXDOMAIN';
  if (code === 'ETIMEOUT' || code === 'EAI_AGAIN') return 'SERVFAIL (timed out)';
  if (code === 'ECONNREFUSED') return 'connection refused';
  return code ?? (err instanceof Error ? err.message : String(err));
}

function resolverFor(server: string | undefined): Resolver | undefined {
  if (server === undefined) return undefined;
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  resolver.setServers([server]);
  return resolver;
}

async function forward(name: string, resolver: Resolver | undefined): Promise<Answer[]> {
  if (!resolver) {
    try {
      const found = await lookup(name, { all: true, verbatim: true });
      return found.map((a) => ({ family: a.family === 6 ? 6 : 4, address: a.address }));
    } catch (err) {
      throw new NotFound(reasonOf(err));
    }
  }
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
  const answers: Answer[] = [
    ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ family: 4 as const, address })) : []),
    ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ family: 6 as const, address })) : []),
  ];
  if (answers.length === 0) throw new NotFound(reasonOf(v4.status === 'rejected' ? v4.reason : undefined));
  return answers;
}

async function reverse(address: string, resolver: Resolver | undefined): Promise<string[]> {
  try {
    if (resolver) return await resolver.reverse(address);
    const { hostname } = await lookupService(address, 0);
    // getnameinfo falls back to the numeric form when nothing names the address.
    if (hostname === address) throw new NotFound('NXDOMAIN');
    return [hostname];
  } catch (err) {
    if (err instanceof NotFound) throw err;
    throw new NotFound(reasonOf(err));
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** `1.2.3.4`, `1.2.3.4:5353`, `::1`, `[::1]:5353` → the address part. */
function serverHost(server: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(server);
  if (bracketed) return bracketed[1]!;
  const v4port = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(server);
  return v4port ? v4port[1]! : server;
}

/**
 * Appliances often ship neither /etc/hosts nor /etc/resolv.conf (gokrazy writes the
 * latter from DHCP); then the system resolver knows no names at all. Say so.
 */
export async function resolverHint(server: string | undefined, root = '/', fs: FileSystem = nodeFileSystem): Promise<string> {
  if (server !== undefined) return '';
  const missing: string[] = [];
  for (const file of ['/etc/resolv.conf', '/etc/hosts']) {
    if (!(await fs.access(join(root, file)).then(() => true, () => false))) missing.push(file);
  }
  if (missing.length === 0) return '';
  return `note: this device has no ${missing.join(' and no ')}; name a DNS server: nslookup NAME SERVER\n`;
}

function parseArgs(name: string, args: string[]): { query: string; server?: string } | 'help' {
  const opts = parseOptions(args, { flags: '' });
  if (opts.has('help')) return 'help';
  if (opts.operands.length < 1 || opts.operands.length > 2) throw new OptionError(`usage: ${name} NAME|ADDRESS [SERVER]`);
  const server = opts.operands[1];
  if (server !== undefined && isIP(serverHost(server)) === 0) {
    throw new OptionError(`SERVER must be an IP address (optionally IP:PORT or [IPv6]:PORT), got '${server}'`);
  }
  return { query: opts.operands[0]!, ...(server !== undefined ? { server } : {}) };
}

const NSLOOKUP_USAGE = `Usage: nslookup NAME|ADDRESS [SERVER[:PORT]]
Look up the addresses of NAME, or the name of ADDRESS (busybox layout).
Without SERVER: the system resolver, as the device's programs see it (/etc/hosts, then
the DNS servers in /etc/resolv.conf). With SERVER: ask that DNS server directly.`;

const HOST_USAGE = `Usage: host NAME|ADDRESS [SERVER[:PORT]]
Look up the addresses of NAME, or the name of ADDRESS (bind host layout).
Without SERVER: the system resolver (/etc/hosts, then DNS); with SERVER: that DNS server.`;

async function runLookup(name: 'nslookup' | 'host', args: string[], ctx: BuiltinContext): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(name, args);
  } catch (err) {
    if (err instanceof OptionError) return fail(ctx.stderr, name, err.message, 2);
    throw err;
  }
  if (parsed === 'help') {
    await write(ctx.stdout, `${name === 'host' ? HOST_USAGE : NSLOOKUP_USAGE}\n`);
    return 0;
  }
  const { query, server } = parsed;
  const resolver = resolverFor(server);
  const isAddress = isIP(query) !== 0;
  const out: string[] = [];
  if (name === 'nslookup') {
    const dnsServer = server ?? getServers()[0] ?? 'none';
    const host = serverHost(dnsServer);
    const port = dnsServer === host ? '53' : dnsServer.slice(dnsServer.lastIndexOf(':') + 1);
    out.push(`Server:\t\t${host}`, `Address:\t${host.includes(':') ? `[${host}]` : host}:${port}`, '');
  }
  try {
    if (isAddress) {
      const names = await abortable(reverse(query, resolver), ctx.signal);
      for (const n of names) {
        out.push(name === 'host' ? `${reverseName(query)} domain name pointer ${n}.` : `${reverseName(query)}\tname = ${n}`);
      }
    } else {
      const answers = await abortable(forward(query, resolver), ctx.signal);
      if (name === 'nslookup') {
        if (resolver) out.push('Non-authoritative answer:');
        out.push(`Name:\t${query}`);
        for (const a of answers) out.push(`Address: ${a.address}`);
      } else {
        for (const a of answers) out.push(`${query} has ${a.family === 6 ? 'IPv6 address' : 'address'} ${a.address}`);
      }
    }
  } catch (err) {
    if (ctx.signal.aborted) return 130;
    const reason = err instanceof NotFound ? err.reason : reasonOf(err);
    if (out.length) await write(ctx.stdout, `${out.join('\n')}\n`);
    await write(ctx.stderr, await resolverHint(server, '/', ctx.fs));
    if (name === 'host') {
      const code = reason === 'NXDOMAIN' ? '3(NXDOMAIN)' : reason;
      await write(ctx.stderr, `Host ${query} not found: ${code}\n`);
      return 1;
    }
    await write(ctx.stderr, `** server can't find ${query}: ${reason}\n`);
    return 1;
  }
  await write(ctx.stdout, `${out.join('\n')}\n${name === 'nslookup' ? '\n' : ''}`);
  return 0;
}

export const nslookup: Builtin = {
  name: 'nslookup',
  summary: 'look up a host name or address (busybox layout)',
  usage: NSLOOKUP_USAGE,
  run: (args, ctx) => runLookup('nslookup', args, ctx),
};

export const host: Builtin = {
  name: 'host',
  summary: 'look up a host name or address (bind host layout)',
  usage: HOST_USAGE,
  run: (args, ctx) => runLookup('host', args, ctx),
};
