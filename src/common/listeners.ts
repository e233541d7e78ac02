// Keeps one listening socket per allowed address, for breakglassd and breakglass-init.
// With `--listen private` the interface table is re-scanned periodically so that an
// address that appears later (DHCP, a VPN coming up) gets a listener, and one that
// disappears has its listener closed. `port 0` picks a free port once; every further
// address reuses it, so the service has one port number.
import type { Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { formatHostPort, listenHost, privateInterfaceAddresses } from './addresses.js';
import type { InterfaceTable, ListenAddress, ListenSpec } from './addresses.js';

export interface ListenerSetOptions {
  spec: ListenSpec;
  port: number;
  /** Makes a fresh server for one address (e.g. net.createServer(handler)). */
  createServer: () => Server;
  /** Called once per new listener, after it is listening. */
  onListening: (display: string, addr: ListenAddress, port: number) => void;
  /** Called when an address cannot be listened on (logged, not fatal after the first). */
  onError: (display: string, err: Error) => void;
  rescanMs?: number;
  interfaces?: () => InterfaceTable;
}

export class ListenerSet {
  private readonly servers = new Map<string, Server>();
  /** Last error per address, so a rescan does not repeat the same warning every few seconds. */
  private readonly failures = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private port: number;
  private closed = false;

  constructor(private readonly options: ListenerSetOptions) {
    this.port = options.port;
  }

  /** Listens on the current addresses; rejects if none could be listened on. */
  async start(): Promise<void> {
    await this.sync();
    if (this.servers.size === 0) throw new Error('no address to listen on (is any private interface up?)');
    if (this.options.spec.kind === 'private') {
      let busy = false;
      this.timer = setInterval(() => {
        if (busy) return; // a slow listen() must not overlap the next rescan
        busy = true;
        this.sync()
          .catch((err: unknown) => this.options.onError('rescan', err as Error))
          .finally(() => (busy = false));
      }, this.options.rescanMs ?? 5000);
      this.timer.unref();
    }
  }

  get boundPort(): number {
    return this.port;
  }

  addresses(): string[] {
    return [...this.servers.keys()];
  }

  private wanted(): ListenAddress[] {
    const { spec } = this.options;
    if (spec.kind === 'explicit') return spec.addresses;
    return privateInterfaceAddresses((this.options.interfaces ?? networkInterfaces)());
  }

  private async sync(): Promise<void> {
    const wanted = new Map(this.wanted().map((a) => [listenHost(a), a]));
    for (const host of this.failures.keys()) if (!wanted.has(host)) this.failures.delete(host);
    for (const [host, server] of this.servers) {
      if (wanted.has(host)) continue;
      server.close();
      this.servers.delete(host);
    }
    for (const [host, addr] of wanted) {
      if (this.servers.has(host)) continue;
      await this.listenOne(host, addr);
    }
  }

  private listenOne(host: string, addr: ListenAddress): Promise<void> {
    const server = this.options.createServer();
    const display = formatHostPort(addr.address, this.port);
    return new Promise((resolve) => {
      const onError = (err: Error): void => {
        if (this.failures.get(host) !== err.message) this.options.onError(display, err);
        this.failures.set(host, err.message);
        resolve();
      };
      server.once('error', onError);
      server.listen({ host, port: this.port, ipv6Only: addr.family === 6 }, () => {
        server.off('error', onError);
        if (this.closed) {
          server.close(); // close() ran while this listen was in flight
          return resolve();
        }
        const bound = server.address();
        if (bound && typeof bound === 'object') this.port = bound.port;
        this.servers.set(host, server);
        this.failures.delete(host);
        this.options.onListening(formatHostPort(addr.address, this.port), addr, this.port);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    const closing = [...this.servers.values()].map(
      (server) => new Promise<void>((resolve) => server.close(() => resolve())),
    );
    this.servers.clear();
    await Promise.all(closing);
  }
}
