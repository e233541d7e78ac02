// The web UI's listeners: every private address (ListenerSet, the same rule as
// breakglassd) with basic auth, and a Unix socket for local tools (`svc`, `logs`).
// The socket is created mode 0600 and so reachable by root only; requests over it skip
// basic auth (the peer already has the device's root privileges). A stale socket file
// from a previous run is removed first; a live one (another init answering) is an error.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { chmod, lstat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ListenSpec } from '../common/index.js';
import { BreakglassError, ListenerSet } from '../common/index.js';
import { ensureDir, errnoCode } from '../os/index.js';
import type { RequestOrigin } from './api.js';

type ApiHandler = (req: IncomingMessage, res: ServerResponse, origin: RequestOrigin) => void;

export interface WebServerOptions {
  listen: ListenSpec;
  port: number;
  socketPath: string;
  handler: ApiHandler;
  onListening: (display: string) => void;
  onError: (display: string, err: Error) => void;
}

function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = (await lstat(path)).isSocket();
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return;
    throw err;
  }
  if (!isSocket) throw new BreakglassError(`${path} exists and is not a socket; refusing to replace it`, { path });
  if (await socketAnswers(path)) throw new BreakglassError(`another breakglass-init is already serving ${path}`, { path });
  await unlink(path);
}

export class WebServer {
  private listeners: ListenerSet | undefined;
  private unixServer: Server | undefined;
  private readonly servers = new Set<Server>();

  constructor(private readonly options: WebServerOptions) {}

  private track(server: Server): Server {
    this.servers.add(server);
    return server;
  }

  async start(): Promise<void> {
    const { handler } = this.options;
    await this.listenUnix(handler);
    this.listeners = new ListenerSet({
      spec: this.options.listen,
      port: this.options.port,
      createServer: () => this.track(createServer((req, res) => handler(req, res, { trusted: false }))),
      onListening: (display) => this.options.onListening(display),
      onError: this.options.onError,
    });
    await this.listeners.start();
  }

  get port(): number {
    return this.listeners?.boundPort ?? 0;
  }

  private async listenUnix(handler: ApiHandler): Promise<void> {
    const path = this.options.socketPath;
    await ensureDir(dirname(path), 0o777); // the umask decides, as for mkdir -p
    await removeStaleSocket(path);
    const server = this.track(createServer((req, res) => handler(req, res, { trusted: true })));
    // bind(2) creates the file with the umask applied: 0177 leaves 0600 from the start.
    const oldMask = process.umask(0o177);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(path, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } finally {
      process.umask(oldMask);
    }
    await chmod(path, 0o600);
    this.unixServer = server;
  }

  async close(): Promise<void> {
    await this.listeners?.close();
    for (const server of this.servers) server.closeAllConnections();
    if (this.unixServer) {
      const server = this.unixServer;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await unlink(this.options.socketPath).catch(() => undefined);
    }
  }
}
