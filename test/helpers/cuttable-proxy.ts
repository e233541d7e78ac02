// A loopback TCP relay a test can cut and restore: the network between laptop and device
// dropping. `cut` closes the listener (new connections are refused, as to a host that is
// gone) and then either closes both sides of every relayed connection (`close`: both ends
// notice at once) or stops relaying while keeping both sockets open (`silent`: a Wi-Fi
// link that just dies; only keepalives notice).
import { createServer, connect } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

export class CuttableProxy {
  private server: Server | undefined;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  /** Sockets left open by a silent cut; closed by `stop`. */
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

  cut(mode: 'close' | 'silent'): void {
    // Stops listening at once; its callback would wait for the connections a silent cut keeps.
    this.server?.close();
    this.server = undefined;
    for (const pair of [...this.pairs]) {
      this.pairs.delete(pair);
      pair.upstream.unpipe(pair.client);
      pair.client.unpipe(pair.upstream);
      for (const socket of [pair.client, pair.upstream]) {
        socket.removeAllListeners('close');
        socket.removeAllListeners('error');
        socket.on('error', () => undefined);
      }
      for (const socket of [pair.client, pair.upstream]) {
        if (mode === 'close') socket.destroy();
        else {
          socket.pause();
          this.dangling.add(socket);
        }
      }
    }
  }

  /** Listens again on the same port. */
  restore(): Promise<void> {
    return this.start();
  }

  async stop(): Promise<void> {
    this.cut('close');
    for (const socket of this.dangling) socket.destroy();
    this.dangling.clear();
  }
}
