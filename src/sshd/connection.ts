// One TCP connection, from accept to close: the --max-startups gate, the login grace
// timer, public-key authentication against authorized_keys, then session channels and
// direct-tcpip. Logs every step to the audit log; errors end only this connection.
import type { Socket } from 'node:net';
import type { SessionServices, TerminalSize } from '../shell/index.js';
import type { Toolbox } from '../transfer/index.js';
import { formatHostPort } from '../common/index.js';
import type { AuditFields, AuditLog } from './audit.js';
import type { AuthorizedKey } from './authorized-keys.js';
import { decidePublicKey } from './authorize.js';
import type { DaemonConfig } from './config.js';
import { openForward } from './forwarding.js';
import { normalizeClientAddress } from './from-patterns.js';
import type { KeyStore } from './key-store.js';
import { SessionRunner } from './session.js';
import type { AuthAttempt, AuthVerdict, DirectTcpipRequest, SessionEvents, SessionOpen, SshServer, TcpipReply } from './ssh2-adapter.js';
import type { StartupLimiter } from './startup-limiter.js';
import type { SessionRecorder, SessionRegistry } from './detach/index.js';
import { fingerprintOf } from './wire.js';

/** Socket errors that only mean the peer or the path to it went away. */
const PEER_GONE = new Set(['EPIPE', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** sshd's MaxAuthTries default. */
export const MAX_AUTH_TRIES = 6;
export const SESSION_CLOSE_GRACE_MS = 2000;

export interface ServerState {
  config: DaemonConfig;
  ssh: SshServer;
  keys: KeyStore;
  audit: AuditLog;
  limiter: StartupLimiter;
  services: Omit<SessionServices, 'audit'>;
  toolbox: Toolbox | undefined;
  banner: (() => string) | undefined;
  /** The server's PATH, handed on to session shells. */
  path: string | undefined;
  /** Told when a connection authenticates and when it is gone (idle-exit, shutdown). */
  connections: ConnectionTracker;
  /** Interactive pty sessions, attached or detached. */
  terminals: SessionRegistry;
  /** --record: a recorder per interactive session. */
  recorder?: (info: { id: string; size: TerminalSize; term: string; owner: string }) => Promise<SessionRecorder | undefined>;
}

export interface ConnectionTracker {
  authenticated(conn: LiveConnection): void;
  gone(conn: LiveConnection, wasAuthenticated: boolean): void;
}

let nextConnId = 1;

export class LiveConnection {
  readonly id = nextConnId++;
  private authenticated = false;
  private failures = 0;
  /** Set when the socket failed because the peer went away (PEER_GONE). */
  private peerGone: string | undefined;
  private key: AuthorizedKey | undefined;
  private user = '';
  private readonly sessions = new Set<SessionRunner>();
  private readonly openedAt = Date.now();
  private graceTimer: NodeJS.Timeout | undefined;
  /** Gives the --max-startups slot back (set while the connection holds one). */
  private releaseSlot: (() => void) | undefined;
  private closedAlready = false;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;

  constructor(
    private readonly socket: Socket,
    private readonly state: ServerState,
  ) {
    this.remoteAddress = normalizeClientAddress(socket.remoteAddress ?? '?');
    this.remotePort = socket.remotePort ?? 0;
    this.localAddress = normalizeClientAddress(socket.localAddress ?? '?');
    this.localPort = socket.localPort ?? 0;
  }

  private audit(event: string, fields: AuditFields = {}): void {
    this.state.audit.event(event, { conn: this.id, ...fields });
  }

  get peer(): string {
    return formatHostPort(this.remoteAddress, this.remotePort);
  }

  /** Admits the socket (or drops it past --max-startups) and starts the protocol. */
  start(): void {
    const { socket, state } = this;
    socket.setNoDelay(true);
    const admitted = state.limiter.tryAcquire(this.remoteAddress, (reason) => this.evict(reason));
    if (!admitted.ok) {
      this.closedAlready = true;
      this.audit('refused', { from: this.peer, reason: admitted.reason });
      socket.destroy();
      this.state.connections.gone(this, false);
      return;
    }
    this.releaseSlot = admitted.release;
    this.audit('connect', { from: this.peer, to: formatHostPort(this.localAddress, this.localPort) });
    socket.once('close', () => this.onClose());
    socket.on('error', () => undefined); // reported through ssh2's error event
    this.graceTimer = setTimeout(() => {
      this.audit('login-timeout', { from: this.peer, after_ms: state.config.loginGraceMs });
      socket.destroy();
    }, state.config.loginGraceMs);
    state.ssh.accept(socket, (conn) => {
      this.audit('client', { version: conn.clientVersion });
      conn.handle({
        authenticate: (attempt) => this.authenticate(attempt),
        ready: () => this.onReady(),
        session: (open) => this.openSession(open),
        directTcpip: (request, reply) => this.directTcpip(request, reply),
        error: (err) => this.onError(err),
      });
    });
  }

  private releaseStartup(): void {
    const release = this.releaseSlot;
    this.releaseSlot = undefined;
    release?.();
  }

  /** A newcomer took our --max-startups slot (the limiter freed it already). */
  private evict(reason: string): void {
    this.releaseSlot = undefined;
    this.audit('evicted', { from: this.peer, reason });
    this.socket.destroy();
  }

  private async authenticate(attempt: AuthAttempt): Promise<AuthVerdict> {
    if (this.failures >= MAX_AUTH_TRIES) {
      this.audit('auth', { result: 'disconnect', user: attempt.user, reason: `more than ${MAX_AUTH_TRIES} failed attempts` });
      return 'disconnect';
    }
    if (attempt.method !== 'publickey' || !('keyBlob' in attempt)) {
      // `none` is how clients ask which methods exist; not an attempt (sshd does not count it).
      if (attempt.method !== 'none') {
        this.failures++;
        this.audit('auth', { result: 'fail', user: attempt.user, method: attempt.method, reason: 'only publickey is accepted' });
      }
      return 'reject';
    }
    const keys = await this.state.keys.current();
    const decision = decidePublicKey(keys, attempt, this.remoteAddress);
    if (!decision.ok) {
      this.failures++;
      this.audit('auth', {
        result: 'fail',
        user: attempt.user,
        key: fingerprintOf(attempt.keyBlob),
        type: attempt.keyType,
        comment: decision.entry?.comment || undefined,
        line: decision.entry?.line,
        reason: decision.reason,
      });
      return 'reject';
    }
    if (decision.query) return 'accept';
    this.key = decision.entry;
    this.user = attempt.user;
    this.audit('auth', {
      result: 'ok',
      user: attempt.user,
      from: this.peer,
      key: decision.entry.fingerprint,
      type: attempt.keyType === 'ssh-rsa' ? `rsa-sha2-${attempt.hashAlgo === 'sha512' ? 512 : 256}` : attempt.keyType,
      comment: decision.entry.comment || undefined,
      line: decision.entry.line,
      forced: decision.entry.options.command,
    });
    return 'accept';
  }

  private onReady(): void {
    this.authenticated = true;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
    this.releaseStartup();
    this.state.connections.authenticated(this);
  }

  private openSession(open: SessionOpen): SessionEvents {
    const { state } = this;
    const runner = new SessionRunner({
      connId: this.id,
      sessionId: open.id,
      user: this.user,
      key: this.key!,
      remoteAddress: this.remoteAddress,
      remotePort: this.remotePort,
      localAddress: this.localAddress,
      localPort: this.localPort,
      home: state.config.home,
      path: state.path,
      services: state.services,
      toolbox: state.toolbox,
      banner: state.banner,
      audit: (event, fields) => state.audit.event(event, fields),
      closeGraceMs: SESSION_CLOSE_GRACE_MS,
      terminals: state.terminals,
      scrollback: state.config.scrollbackLines,
      ...(state.recorder ? { recorder: state.recorder } : {}),
    });
    this.sessions.add(runner);
    return {
      request: (request, reply) => runner.request(request, reply),
      eof: () => runner.eof(),
      closed: () => {
        runner.closed();
        this.sessions.delete(runner);
      },
    };
  }

  private directTcpip(request: DirectTcpipRequest, reply: TcpipReply): void {
    openForward(request, reply, {
      mode: this.state.config.forward,
      options: this.key!.options,
      audit: (event, fields) => this.audit(event, fields),
    });
  }

  /** A peer that vanished (a reset, a write into a closed socket) is a disconnect reason, not a server error. */
  private onError(err: Error): void {
    const code = (err as NodeJS.ErrnoException).code;
    if (code && PEER_GONE.has(code)) this.peerGone = code;
    else this.audit('error', { message: err.message });
  }

  private onClose(): void {
    if (this.closedAlready) return;
    this.closedAlready = true;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.releaseStartup();
    for (const session of this.sessions) session.closed('connection lost');
    this.sessions.clear();
    this.audit('disconnect', { from: this.peer, duration_ms: Date.now() - this.openedAt, reason: this.peerGone });
    this.state.connections.gone(this, this.authenticated);
  }

  /** Shutdown: end the sessions (waiting for their processes), then the connection. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.sessions].map((s) => s.shutdown()));
    // end(), not destroy(): the sessions' last words (exit-status) must still get out.
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 500).unref();
  }
}
