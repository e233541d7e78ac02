// nc: a TCP client for "can the device reach the backend?" (busybox nc(1) subset).
// stdin → socket, socket → stdout; -z only checks whether ports accept connections.
import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';
import type { Builtin, BuiltinContext } from '../types.js';
import { OptionError, parseOptions } from '../options.js';
import type { ParsedOptions } from '../options.js';
import { fail } from './io.js';
import { write, errnoCode } from '../../os/index.js';

const USAGE = `Usage: nc [-v] [-z] [-w SECS] HOST PORT[-PORT]
       nc -l [-v] [-w SECS] [-s ADDR] [-p] PORT
Connect to HOST:PORT over TCP; copy stdin to the connection and the connection to stdout.

  -z        scan: only report whether each port accepts a connection (PORT may be a range)
  -l        listen: accept one connection on PORT (all addresses unless -s), then copy
  -s ADDR   local address to listen on (with -l)
  -p PORT   local port (with -l)
  -w SECS   connect (or accept) timeout, and idle timeout once connected
            (default: none; -z uses 3)
  -v        say when connected
  --help    this text
Exit 1 when the connection fails (refused, unreachable, timed out, bad address).`;

// Messages as strerror(3) words them, which is what busybox nc prints.
const ERRNO_TEXT: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ECONNRESET: 'Connection reset by peer',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EPIPE: 'Broken pipe',
};

function describe(err: unknown, host: string): string {
  const code = errnoCode(err);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return `bad address '${host}'`;
  if (code && ERRNO_TEXT[code]) return ERRNO_TEXT[code]!;
  return err instanceof Error ? err.message : String(err);
}

class ConnectTimeout extends Error {
  code = 'ETIMEDOUT';
}

/** Opens a TCP connection, rejecting after timeoutMs (0 = no limit) or on abort. */
function openSocket(host: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = timeoutMs > 0 ? setTimeout(() => finish(new ConnectTimeout('timed out')), timeoutMs) : undefined;
    const onAbort = (): void => finish(new Error('aborted'));
    const finish = (err?: Error): void => {
      if (timer) clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.off('error', finish);
      socket.off('connect', onConnect);
      if (err) {
        socket.destroy();
        reject(err);
      } else resolve(socket);
    };
    const onConnect = (): void => finish();
    socket.once('connect', onConnect);
    socket.once('error', finish);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function parsePorts(text: string): [number, number] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  const lo = Number(match?.[1]);
  const hi = match?.[2] !== undefined ? Number(match[2]) : lo;
  if (!match || lo < 1 || hi > 65535 || lo > hi) throw new OptionError(`bad port '${text}' (1-65535, or LOW-HIGH with -z)`);
  return [lo, hi];
}

async function scan(host: string, ports: [number, number], timeoutMs: number, verbose: boolean, ctx: BuiltinContext): Promise<number> {
  let anyOpen = false;
  for (let port = ports[0]; port <= ports[1]; port++) {
    if (ctx.signal.aborted) return 130;
    try {
      const socket = await openSocket(host, port, timeoutMs, ctx.signal);
      socket.destroy();
      anyOpen = true;
      await write(ctx.stdout, `${host} (${socket.remoteAddress ?? host}:${port}) open\n`);
    } catch (err) {
      if (ctx.signal.aborted) return 130;
      if (verbose || ports[0] === ports[1]) await write(ctx.stderr, `nc: ${host}:${port}: ${describe(err, host)}\n`);
    }
  }
  return anyOpen ? 0 : 1;
}

/** Pumps stdin → socket and socket → stdout until the peer closes (or idle timeout). */
async function session(socket: Socket, idleMs: number, ctx: BuiltinContext): Promise<number> {
  return new Promise<number>((resolve) => {
    let done = false;
    const finish = (code: number, message?: string): void => {
      if (done) return;
      done = true;
      ctx.stdin.off('data', onStdin);
      ctx.stdin.off('end', onStdinEnd);
      ctx.signal.removeEventListener('abort', onAbort);
      ctx.stdin.pause();
      socket.destroy();
      if (message) void write(ctx.stderr, `nc: ${message}\n`).catch(() => undefined).then(() => resolve(code));
      else resolve(code);
    };
    const onStdin = (chunk: Buffer): void => {
      if (!socket.write(chunk)) {
        ctx.stdin.pause();
        socket.once('drain', () => ctx.stdin.resume());
      }
    };
    // stdin closed: half-close, keep reading the answer until the peer closes (nc -N).
    const onStdinEnd = (): void => {
      socket.end();
    };
    const onAbort = (): void => finish(130);
    if (idleMs > 0) {
      socket.setTimeout(idleMs, () => finish(1, 'timed out'));
    }
    socket.on('data', (chunk: Buffer) => {
      socket.pause();
      write(ctx.stdout, chunk).then(
        () => socket.resume(),
        () => finish(141),
      );
    });
    socket.once('end', () => finish(0));
    socket.once('error', (err) => finish(1, describe(err, socket.remoteAddress ?? '')));
    socket.once('close', () => finish(0));
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    if (ctx.stdin.readableEnded) {
      socket.end();
      return;
    }
    ctx.stdin.on('data', onStdin);
    ctx.stdin.once('end', onStdinEnd);
    ctx.stdin.resume();
  });
}

/** Accepts one connection on ADDR:PORT, or fails after timeoutMs / on abort. */
function acceptOne(address: string | undefined, port: number, timeoutMs: number, verbose: boolean, ctx: BuiltinContext): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    const timer = timeoutMs > 0 ? setTimeout(() => finish(new ConnectTimeout('timed out')), timeoutMs) : undefined;
    const onAbort = (): void => finish(new Error('aborted'));
    const finish = (err?: Error, socket?: Socket): void => {
      if (timer) clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      server.close();
      if (err) reject(err);
      else resolve(socket!);
    };
    server.once('connection', (socket) => finish(undefined, socket));
    server.once('error', (err) => finish(err));
    server.listen({ port, ...(address ? { host: address } : {}) }, () => {
      const bound = server.address();
      if (verbose && bound && typeof bound === 'object') {
        void write(ctx.stderr, `listening on ${bound.address.includes(':') ? `[${bound.address}]` : bound.address}:${bound.port} ...\n`).catch(() => undefined);
      }
    });
    ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function listenMode(opts: ParsedOptions, ctx: BuiltinContext): Promise<number> {
  const portText = opts.get('p') ?? opts.operands.at(-1);
  const address = opts.get('s') ?? (opts.operands.length === 2 ? opts.operands[0] : undefined);
  if (portText === undefined || opts.operands.length > 2 || (opts.get('p') !== undefined && opts.operands.length > 1)) {
    return fail(ctx.stderr, 'nc', "listen mode needs PORT: nc -l [-s ADDR] [-p] PORT\nTry 'nc --help'.", 2);
  }
  const match = /^\d+$/.exec(portText);
  const port = Number(portText);
  if (!match || port > 65535) return fail(ctx.stderr, 'nc', `bad port '${portText}'`, 2);
  const waitSecs = opts.get('w') === undefined ? 0 : Number(opts.get('w'));
  let socket: Socket;
  try {
    socket = await acceptOne(address, port, waitSecs * 1000, opts.has('v'), ctx);
  } catch (err) {
    if (ctx.signal.aborted) return 130;
    return fail(ctx.stderr, 'nc', `${address ?? ''}:${port}: ${describe(err, address ?? '')}`);
  }
  if (opts.has('v')) await write(ctx.stderr, `connect to ${socket.localAddress}:${socket.localPort} from ${socket.remoteAddress}:${socket.remotePort}\n`);
  return session(socket, waitSecs * 1000, ctx);
}

async function runNc(args: string[], ctx: BuiltinContext): Promise<number> {
  let host: string;
  let ports: [number, number];
  let opts;
  try {
    opts = parseOptions(args, { flags: 'vznl', values: 'wsp' });
    if (opts.has('help')) {
      await write(ctx.stdout, `${USAGE}\n`);
      return 0;
    }
    const waitText = opts.get('w');
    if (waitText !== undefined && !(Number(waitText) > 0)) throw new OptionError(`bad -w '${waitText}': seconds, greater than 0`);
    if (opts.has('l')) return await listenMode(opts, ctx);
    if (opts.operands.length !== 2) throw new OptionError('need HOST and PORT');
    host = opts.operands[0]!;
    ports = parsePorts(opts.operands[1]!);
    if (!opts.has('z') && ports[0] !== ports[1]) throw new OptionError('a port range needs -z');
  } catch (err) {
    if (err instanceof OptionError) return fail(ctx.stderr, 'nc', `${err.message}\nTry 'nc --help'.`, 2);
    throw err;
  }
  const waitText = opts.get('w');
  const waitSecs = waitText === undefined ? undefined : Number(waitText);
  const timeoutMs = waitSecs !== undefined ? waitSecs * 1000 : opts.has('z') ? 3000 : 0;
  if (opts.has('z')) return scan(host, ports, timeoutMs, opts.has('v'), ctx);

  let socket: Socket;
  try {
    socket = await openSocket(host, ports[0], timeoutMs, ctx.signal);
  } catch (err) {
    if (ctx.signal.aborted) return 130;
    return fail(ctx.stderr, 'nc', `${host}:${ports[0]}: ${describe(err, host)}`);
  }
  if (opts.has('v')) await write(ctx.stderr, `${host} (${socket.remoteAddress}:${ports[0]}) open\n`);
  return session(socket, waitSecs !== undefined ? waitSecs * 1000 : 0, ctx);
}

export const nc: Builtin = {
  name: 'nc',
  summary: 'TCP client (or -l one-shot server): copy stdin to the connection and back; -z scans',
  usage: USAGE,
  run: runNc,
};
