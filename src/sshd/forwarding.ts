// direct-tcpip channels (ssh -L, ssh -W; RFC 4254 §7.2): resolve the target, connect
// only to an address the policy allows (the one that was checked, so DNS cannot swap
// it afterwards), then copy bytes both ways until either side closes.
import { lookup } from 'node:dns/promises';
import { connect, isIP } from 'node:net';
import type { Socket } from 'node:net';
import type { AuditFn } from './audit.js';
import type { KeyOptions } from './authorized-keys.js';
import type { ForwardMode } from './config.js';
import { formatHostPort } from '../common/index.js';
import { modeAllowsAddress, precheckForward } from './forward-policy.js';
import type { DirectTcpipRequest, TcpipReply } from './ssh2-adapter.js';

export interface ForwardContext {
  mode: ForwardMode;
  options: KeyOptions;
  audit: AuditFn;
}

const CONNECT_TIMEOUT_MS = 10_000;

async function resolveAllowed(host: string, mode: ForwardMode): Promise<{ address?: string; reason?: string }> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const addresses = isIP(bare) ? [bare] : (await lookup(bare, { all: true })).map((a) => a.address);
  const allowed = addresses.find((a) => modeAllowsAddress(mode, a));
  if (allowed) return { address: allowed };
  return { reason: `${host} (${addresses.join(', ') || 'no address'}) is not a ${mode === 'loopback' ? 'loopback' : 'private'} address (--forward ${mode})` };
}

function connectTo(address: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port, noDelay: true });
    const timer = setTimeout(() => socket.destroy(new Error('connect timed out')), CONNECT_TIMEOUT_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Handles one direct-tcpip open request; never throws. */
export function openForward(request: DirectTcpipRequest, reply: TcpipReply, ctx: ForwardContext): void {
  const target = formatHostPort(request.host, request.port);
  const refuse = (reason: string): void => {
    ctx.audit('forward', { result: 'refused', target, origin: formatHostPort(request.originHost, request.originPort), reason });
    reply.reject();
  };
  const early = precheckForward(ctx.mode, ctx.options, request.host, request.port);
  if (early) return refuse(early);

  void (async () => {
    let socket: Socket;
    let address: string;
    try {
      const resolved = await resolveAllowed(request.host, ctx.mode);
      if (!resolved.address) return refuse(resolved.reason!);
      address = resolved.address;
      socket = await connectTo(address, request.port);
    } catch (err) {
      return refuse(err instanceof Error ? err.message : String(err));
    }
    const channel = reply.accept();
    const startedAt = Date.now();
    ctx.audit('forward', { result: 'open', target, address });
    let bytesOut = 0;
    let bytesIn = 0;
    socket.on('data', (c: Buffer) => (bytesIn += c.length));
    channel.on('data', (c: Buffer) => (bytesOut += c.length));
    // Half-close is passed on (EOF from one side ends writing to the other); the
    // forward is over when the TCP socket has closed or the channel went away.
    channel.pipe(socket);
    socket.pipe(channel);
    let closed = false;
    const finish = (): void => {
      if (closed) return;
      closed = true;
      socket.destroy();
      channel.destroy();
      ctx.audit('forward', { result: 'closed', target, to_target: bytesOut, from_target: bytesIn, duration_ms: Date.now() - startedAt });
    };
    socket.once('close', finish);
    socket.on('error', finish);
    channel.once('close', finish);
    channel.on('error', finish);
  })();
}
