// The one place that speaks ssh2's event-and-callback API (CONVENTIONS.md: wrap ssh2
// behind a small typed adapter). Everything else sees typed requests with a reply
// object whose accept/reject are always safe to call (ssh2 passes `undefined` when the
// client did not ask for a reply, RFC 4254 §5.4 want-reply=false).
import { batchWrites } from './write-batching.js';
import type { Socket } from 'node:net';
import type { Duplex, Writable } from 'node:stream';
import Ssh2Server from 'ssh2/lib/server.js';
import type { AuthContext, Connection, ServerChannel, ServerConfig, Session } from 'ssh2';
import { SERVER_ALGORITHMS, STEERED_CIPHERS } from './algorithms.js';
import { AuthRoundTrip, sessionWindowCap } from './window-cap.js';

/** A started session channel: stdin/stdout are the channel, stderr is extended data. */
export type SessionChannel = ServerChannel;

export interface PtyRequest {
  term: string;
  cols: number;
  rows: number;
}

export type SessionRequest =
  | { type: 'pty-req'; pty: PtyRequest }
  | { type: 'window-change'; cols: number; rows: number }
  | { type: 'env'; name: string; value: string }
  | { type: 'signal'; name: string }
  | { type: 'shell' }
  | { type: 'exec'; command: string }
  | { type: 'subsystem'; name: string };

export type SessionRequestType = SessionRequest['type'];
export type RequestOf<T extends SessionRequestType> = Extract<SessionRequest, { type: T }>;

/** Reply to a request that does not start anything. */
export interface Reply {
  accept(): void;
  reject(): void;
}

/** Reply to shell/exec/subsystem: accepting starts the channel. */
export interface StartReply {
  accept(): SessionChannel;
  /** Only for `subsystem sftp`: ssh2's SFTP server stream. */
  acceptSftp(): unknown;
  reject(): void;
}

export type ReplyFor<T extends SessionRequestType> = T extends 'shell' | 'exec' | 'subsystem' ? StartReply : Reply;

export interface SessionEvents {
  request<T extends SessionRequestType>(request: RequestOf<T>, reply: ReplyFor<T>): void;
  /** The client closed the session channel (or the connection went away). */
  closed(): void;
  /** The client sent EOF on the channel (RFC 4254 §5.3) — not sent when the connection drops. */
  eof?(): void;
}

export type AuthAttempt =
  | {
      method: 'publickey';
      user: string;
      keyType: string;
      keyBlob: Buffer;
      hashAlgo: string | undefined;
      signature?: { data: Buffer; signature: Buffer };
    }
  | { method: string; user: string };

/** accept: log in (or PK_OK for a query); reject: try another method. */
export type AuthVerdict = 'accept' | 'reject' | 'disconnect';

export interface DirectTcpipRequest {
  host: string;
  port: number;
  originHost: string;
  originPort: number;
}

export interface TcpipReply {
  accept(): Duplex & { stderr?: Writable };
  reject(): void;
}

export interface ConnectionHandlers {
  authenticate(attempt: AuthAttempt): Promise<AuthVerdict>;
  ready?(): void;
  /** A session channel was opened; return its request handlers. */
  session?(open: SessionOpen): SessionEvents;
  /** Absent: every direct-tcpip open is refused. */
  directTcpip?(request: DirectTcpipRequest, reply: TcpipReply): void;
  closed?(): void;
  error?(err: Error): void;
}

export interface SessionOpen {
  /** Channel id for logs. */
  id: number;
}

export interface SshConnection {
  readonly clientVersion: string;
  /** Wire up handlers; must be called synchronously from onConnection. */
  handle(handlers: ConnectionHandlers): void;
  end(): void;
}

export interface SshServerOptions {
  hostKey: string;
  ident: string;
}

function replyFrom(accept: (() => void) | undefined, reject: (() => void) | undefined): Reply {
  return { accept: () => accept?.(), reject: () => reject?.() };
}

const SIMPLE_EVENTS: Array<[string, (info: never) => SessionRequest]> = [
  ['pty', (info: { term: string; cols: number; rows: number }) => ({ type: 'pty-req', pty: { term: info.term, cols: info.cols, rows: info.rows } })],
  ['window-change', (info: { cols: number; rows: number }) => ({ type: 'window-change', cols: info.cols, rows: info.rows })],
  ['env', (info: { key: string; val: string }) => ({ type: 'env', name: String(info.key), value: String(info.val) })],
  ['signal', (info: { name: string }) => ({ type: 'signal', name: String(info.name) })],
];

/** The parts of ssh2's server-side SFTP object used here (it is channel-like, not a stream). */
function wireSession(session: Session, events: SessionEvents): void {
  const dispatch = events.request as (request: SessionRequest, reply: Reply | StartReply) => void;
  for (const [event, toRequest] of SIMPLE_EVENTS) {
    session.on(event, (accept: (() => void) | undefined, reject: (() => void) | undefined, info: never) => {
      dispatch(toRequest(info), replyFrom(accept, reject));
    });
  }
  const start = (request: SessionRequest) =>
    (accept: () => unknown, reject: (() => void) | undefined): void => {
      dispatch(request, {
        accept: () => accept() as SessionChannel,
        // serveSftp (src/transfer) sends exit-status and closes once replies in flight are out.
        acceptSftp: () => accept(),
        reject: () => reject?.(),
      });
    };
  session.on('shell', (accept: () => unknown, reject?: () => void) => start({ type: 'shell' })(accept, reject));
  session.on('exec', (accept: () => unknown, reject: (() => void) | undefined, info: { command: string }) =>
    start({ type: 'exec', command: String(info.command) })(accept, reject),
  );
  session.on('sftp', (accept: () => unknown, reject?: () => void) => start({ type: 'subsystem', name: 'sftp' })(accept, reject));
  session.on('subsystem', (accept: () => unknown, reject: (() => void) | undefined, info: { name: string }) =>
    start({ type: 'subsystem', name: String(info.name) })(accept, reject),
  );
  // ssh2 ends the channel's readable side both on EOF and when the connection dies;
  // only the session's own 'eof' tells the client's EOF apart.
  session.once('eof', () => events.eof?.());
  session.once('close', () => events.closed());
}

function toAttempt(ctx: AuthContext): AuthAttempt {
  if (ctx.method !== 'publickey') return { method: ctx.method, user: ctx.username };
  return {
    method: 'publickey',
    user: ctx.username,
    keyType: ctx.key.algo,
    keyBlob: ctx.key.data,
    hashAlgo: ctx.hashAlgo,
    ...(ctx.signature && ctx.blob ? { signature: { data: ctx.blob, signature: ctx.signature } } : {}),
  };
}

class Ssh2Connection implements SshConnection {
  private sessionIds = 0;
  private readonly authRoundTrip = new AuthRoundTrip();

  constructor(
    private readonly conn: Connection,
    readonly clientVersion: string,
  ) {
    // Read by the patched ssh2 when a session channel opens (src/sshd/window-cap.ts).
    (conn as unknown as { sessionWindowCap: (window: number) => number }).sessionWindowCap = (window) =>
      sessionWindowCap(window, this.authRoundTrip.ms);
  }

  handle(handlers: ConnectionHandlers): void {
    const conn = this.conn;
    conn.on('error', (err: Error) => handlers.error?.(err));
    conn.on('authentication', (ctx: AuthContext) => {
      if (ctx.method === 'publickey' && ctx.signature) this.authRoundTrip.signedRequest();
      handlers.authenticate(toAttempt(ctx)).then(
        (verdict) => {
          if (verdict === 'accept' && ctx.method === 'publickey' && !ctx.signature) this.authRoundTrip.queryAnswered();
          if (verdict === 'accept') ctx.accept();
          else if (verdict === 'reject') ctx.reject(['publickey']);
          else this.end();
        },
        (err: unknown) => {
          handlers.error?.(err instanceof Error ? err : new Error(String(err)));
          ctx.reject(['publickey']);
        },
      );
    });
    conn.on('ready', () => handlers.ready?.());
    conn.once('close', () => handlers.closed?.());
    const onSession = handlers.session?.bind(handlers);
    if (onSession) {
      conn.on('session', (accept: () => Session) => {
        const session = accept();
        if (session) wireSession(session, onSession({ id: this.sessionIds++ }));
      });
    }
    if (handlers.directTcpip) {
      const onTcpip = handlers.directTcpip;
      conn.on('tcpip', (accept: () => ServerChannel, reject: () => void, info: { destIP: string; destPort: number; srcIP: string; srcPort: number }) => {
        onTcpip(
          { host: String(info.destIP), port: Number(info.destPort), originHost: String(info.srcIP), originPort: Number(info.srcPort) },
          { accept: () => accept(), reject: () => reject() },
        );
      });
    }
  }

  end(): void {
    this.conn.end();
  }
}

/** The SSH protocol side of the server; sockets come from our own listeners. */
export class SshServer {
  private readonly server: InstanceType<typeof Ssh2Server>;
  private readonly pending = new WeakMap<Socket, (conn: SshConnection) => void>();

  constructor(options: SshServerOptions) {
    // `steerCiphers` is our ssh2 patch's option (scripts/ssh2-patches.mjs).
    const config: ServerConfig & { steerCiphers: string[] } = {
      hostKeys: [options.hostKey],
      ident: options.ident,
      algorithms: SERVER_ALGORITHMS,
      steerCiphers: STEERED_CIPHERS,
      // ssh2's default keepalive (ping every 15 s, give up after 3 unanswered) finds a
      // vanished laptop, so its sessions and processes are cleaned up.
    };
    this.server = new Ssh2Server(config);
    this.server.on('connection', (conn: Connection, info: { header?: { versions?: { software?: string } } }) => {
      // ssh2 emits this once the client's identification line has arrived; its
      // (undocumented but stable) `_sock` links it back to the socket we injected.
      const socket = (conn as unknown as { _sock: Socket })._sock;
      const onConnection = this.pending.get(socket);
      this.pending.delete(socket);
      const version = info.header?.versions?.software ?? 'unknown';
      if (!onConnection) {
        conn.on('error', () => undefined);
        conn.end();
        return;
      }
      onConnection(new Ssh2Connection(conn, version));
    });
  }

  /** Runs the SSH protocol on an accepted socket; calls back when the client said hello. */
  accept(socket: Socket, onConnection: (conn: SshConnection) => void): void {
    batchWrites(socket);
    this.pending.set(socket, onConnection);
    this.server.injectSocket(socket);
  }
}
