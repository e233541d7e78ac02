// A loopback TCP relay a test can cut and restore: the network between laptop and device
// dropping. `cut` closes the listener (new connections are refused, as to a host that is
// gone) and ends the client side of every relayed connection; the server side is closed
// too, or, with `serverNotices: false`, left open and silent, as when a Wi-Fi link dies and
// the server does not notice for a while.
import { createServer, connect } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

export class CuttableProxy {
  private server: Server | undefined;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  /** Server sides left dangling by a silent cut; closed by `stop`. */
  private readonly dangling = new Set<Socket>();
  port = 0;
  connections = 0;

  constructor(private readonly targetPort: number) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      this.connections += 1;
      const upstream = connect(this.targetPort, '127.0.0.1');
      const pair = { client, upstream };
      this.pairs.add(pair);
      client.pipe(upstream);
      upstream.pipe(client);
      const drop = (): void => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async cut(options: { serverNotices: boolean }): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const pair of [...this.pairs]) {
      this.pairs.delete(pair);
      pair.upstream.unpipe(pair.client);
      pair.client.unpipe(pair.upstream);
      for (const socket of [pair.client, pair.upstream]) {
        socket.removeAllListeners('close');
        socket.removeAllListeners('error');
        socket.on('error', () => undefined);
      }
      pair.client.destroy();
      if (options.serverNotices) pair.upstream.destroy();
      else {
        pair.upstream.pause();
        this.dangling.add(pair.upstream);
      }
    }
    await closed;
  }

  /** Listens again on the same port. */
  restore(): Promise<void> {
    return this.start();
  }

  async stop(): Promise<void> {
    await this.cut({ serverNotices: true });
    for (const socket of this.dangling) socket.destroy();
    this.dangling.clear();
  }
}
