// One SSH session channel (RFC 4254 §6): its requests are dispatched through a map;
// `shell`/`exec` run the TypeScript shell, `subsystem sftp` and `exec scp -t/-f` the
// transfer code. Every session that ran something ends with exit-status (or
// exit-signal), then EOF and close — with or without a pty — so `ssh host 'exit 3'`
// exits 3. A closed channel or connection closes the shell, which ends every process
// it started (SIGHUP, then SIGKILL after the grace period).
import { formatHostPort, RESUME_ENV, isResumeToken } from '../common/index.js';
import type { ExitResult, SessionServices, ShellSession, TerminalSize } from '../shell/index.js';
import type { Toolbox } from '../transfer/index.js';
import type { AuditFields, AuditFn } from './audit.js';
import type { AuthorizedKey } from './authorized-keys.js';
import { ChannelWriter, drained } from './channel-writer.js';
import type { PtyRequest, Reply, ReplyFor, RequestOf, SessionChannel, SessionEvents, SessionRequestType, StartReply } from './ssh2-adapter.js';
import { MAX_CLIENT_ENV, buildSessionEnv, clientEnvAllowed } from './session-env.js';
import { parseAttachCommand } from './detach/index.js';
import type { Attachment, SessionRecorder, SessionRegistry } from './detach/index.js';

/** What a session needs from its connection and the server. */
export interface SessionContext {
  connId: number;
  sessionId: number;
  user: string;
  key: AuthorizedKey;
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
  home: string;
  /** The server's PATH, handed to the shell. */
  path: string | undefined;
  services: Omit<SessionServices, 'audit'>;
  toolbox: Toolbox | undefined;
  /** Banner text for interactive shells, or undefined when disabled. */
  banner: (() => string) | undefined;
  audit: AuditFn;
  /** How long jobs get between SIGHUP and SIGKILL when the session goes away. */
  closeGraceMs: number;
  /** Interactive pty sessions (detach, attach, `sessions`). */
  terminals: SessionRegistry;
  /** Lines of history each session's screen model keeps. */
  scrollback: number;
  /** A recorder for a new interactive session (--record), or undefined. */
  recorder?: (info: { id: string; size: TerminalSize; term: string; owner: string }) => Promise<SessionRecorder | undefined>;
}

type Handler<T extends SessionRequestType> = (session: SessionRunner, request: RequestOf<T>, reply: ReplyFor<T>) => void;

const HANDLERS: { [T in SessionRequestType]: Handler<T> } = {
  'pty-req': (s, req, reply) => s.onPty(req.pty, reply),
  'window-change': (s, req, reply) => s.onWindowChange({ cols: req.cols, rows: req.rows }, reply),
  env: (s, req, reply) => s.onEnv(req.name, req.value, reply),
  signal: (s, req, reply) => s.onSignal(req.name, reply),
  shell: (s, _req, reply) => s.onShell(reply),
  exec: (s, req, reply) => s.onExec(req.command, reply),
  subsystem: (s, req, reply) => s.onSubsystem(req.name, reply),
};

type Work =
  | { kind: 'shell' }
  | { kind: 'exec'; line: string; originalCommand?: string }
  | { kind: 'sftp' };

export class SessionRunner implements SessionEvents {
  private pty: PtyRequest | undefined;
  private readonly clientEnv: Record<string, string> = {};
  /** BREAKGLASS_RESUME from the client (common/resume-token.ts), kept out of clientEnv. */
  private resumeToken: string | undefined;
  private started = false;
  private isClosed = false;
  /** The session channel once shell or exec started (not for SFTP). */
  private channel: SessionChannel | undefined;
  private shell: ShellSession | undefined;
  private writers: ChannelWriter[] = [];
  /** An interactive pty session bound to this channel. */
  private attachment: Attachment | undefined;
  private readonly startedAt = Date.now();
  /** Resolves when the session's work has finished. */
  done: Promise<void> = Promise.resolve();
  /** Resolves when the shell's processes are gone after a close. */
  private closing: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: SessionContext) {}

  request<T extends SessionRequestType>(request: RequestOf<T>, reply: ReplyFor<T>): void {
    const handler = HANDLERS[request.type] as Handler<T>;
    handler(this, request, reply);
  }

  private audit(event: string, fields: AuditFields = {}): void {
    this.ctx.audit(event, { conn: this.ctx.connId, session: this.ctx.sessionId, ...fields });
  }

  onPty(pty: PtyRequest, reply: Reply): void {
    if (this.started || this.pty) return reply.reject();
    if (!this.ctx.key.options.pty) {
      this.audit('pty-refused', { reason: `no-pty on authorized_keys line ${this.ctx.key.line}` });
      return reply.reject();
    }
    this.pty = { term: pty.term || 'vt100', cols: pty.cols || 80, rows: pty.rows || 24 };
    reply.accept();
  }

  onWindowChange(size: TerminalSize, reply: Reply): void {
    if (!this.pty) return reply.reject();
    this.pty = { ...this.pty, cols: size.cols || this.pty.cols, rows: size.rows || this.pty.rows };
    this.attachment?.resize({ cols: this.pty.cols, rows: this.pty.rows });
    this.shell?.resize({ cols: this.pty.cols, rows: this.pty.rows });
    reply.accept();
  }

  onEnv(name: string, value: string, reply: Reply): void {
    if (this.started || Object.keys(this.clientEnv).length >= MAX_CLIENT_ENV) return reply.reject();
    if (name === RESUME_ENV) {
      if (!isResumeToken(value)) return reply.reject();
      this.resumeToken = value;
      return reply.accept();
    }
    if (!clientEnvAllowed(name, value, this.ctx.key.options.restricted)) return reply.reject();
    this.clientEnv[name] = value;
    reply.accept();
  }

  onSignal(name: string, reply: Reply): void {
    if (!this.shell && !this.attachment) return reply.reject();
    this.audit('signal', { name });
    this.shell?.signal(name.replace(/^SIG/, ''));
    this.attachment?.signal(name.replace(/^SIG/, ''));
    reply.accept();
  }

  /**
   * The client sent EOF: a terminal session's input ends (and its close no longer detaches).
   * Not from the breakglass client (it sent a resume token): its input is a terminal, so
   * EOF only means the terminal went away (a closed window; its ssh ControlMaster reading
   * a hung-up tty), and the close that follows detaches, as a dropped link does.
   */
  eof(): void {
    if (this.resumeToken) return;
    this.attachment?.eof();
  }

  onShell(reply: StartReply): void {
    const forced = this.ctx.key.options.command;
    this.start(reply, forced !== undefined ? { kind: 'exec', line: forced } : { kind: 'shell' });
  }

  onExec(command: string, reply: StartReply): void {
    const forced = this.ctx.key.options.command;
    // sshd: a forced command replaces the request; the request goes to SSH_ORIGINAL_COMMAND.
    this.start(reply, forced !== undefined ? { kind: 'exec', line: forced, originalCommand: command } : { kind: 'exec', line: command });
  }

  onSubsystem(name: string, reply: StartReply): void {
    const forced = this.ctx.key.options.command;
    if (forced !== undefined) return this.start(reply, { kind: 'exec', line: forced, originalCommand: name });
    if (name !== 'sftp' || !this.ctx.toolbox) {
      this.audit('subsystem-refused', { name, reason: name === 'sftp' ? 'toolbox unavailable' : 'unknown subsystem' });
      return reply.reject();
    }
    this.start(reply, { kind: 'sftp' });
  }

  /**
   * Channel or connection closed: stop writing, end the shell and its processes — or,
   * for an interactive pty session, detach it (the registry decides how long it waits).
   */
  closed(reason = 'channel closed'): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const writer of this.writers) writer.markGone();
    if (this.shell) this.closing = this.closeShell(this.shell);
    this.attachment?.lost(reason);
  }

  /**
   * The daemon is stopping (SIGTERM, the web UI's stop): say so on the channel and end it
   * with status 143 (128 + SIGTERM, as a shell reports a job killed by it) instead of
   * letting the client find a dead connection; then closed(), and wait until every
   * process the session started is gone.
   */
  async shutdown(): Promise<void> {
    const channel = this.channel;
    if (channel && !this.isClosed) {
      const newline = this.pty ? '\r\n' : '\n';
      (this.pty ? channel : channel.stderr).write(`${newline}breakglassd: the server is stopping; this session ends${newline}`);
      channel.exit(128 + 15);
      channel.end();
    }
    this.closed();
    await this.closing;
  }

  private closeShell(shell: ShellSession): Promise<void> {
    return shell.close(this.ctx.closeGraceMs).catch((err: unknown) => this.audit('error', { message: `closing the shell: ${String(err)}` }));
  }

  private start(reply: StartReply, work: Work): void {
    if (this.started || this.isClosed) return reply.reject();
    this.started = true;
    if (work.kind === 'sftp') {
      const sftp = reply.acceptSftp();
      this.audit('session-start', { type: 'sftp' });
      this.done = this.runSftp(sftp);
      return;
    }
    const channel = reply.accept();
    this.channel = channel;
    this.done = this.run(channel, work).catch((err: unknown) => this.audit('error', { message: String(err) }));
  }

  private async runSftp(sftp: unknown): Promise<void> {
    const { serveSftp } = await import('../transfer/index.js');
    try {
      await serveSftp(sftp, { toolbox: this.ctx.toolbox!, audit: (e, f) => this.audit(e, f) });
    } catch (err) {
      this.audit('error', { message: `sftp: ${String(err)}` });
    }
    this.audit('session-end', { type: 'sftp', duration_ms: Date.now() - this.startedAt });
  }

  private async run(channel: SessionChannel, work: Exclude<Work, { kind: 'sftp' }>): Promise<void> {
    if (work.kind === 'shell' && this.pty) return this.runTerminal(channel, this.pty);
    const attach = work.kind === 'exec' && work.originalCommand === undefined ? parseAttachCommand(work.line) : undefined;
    if (attach) return this.runAttach(channel, attach.id);
    const stdout = new ChannelWriter(channel);
    const stderr = this.pty ? stdout : new ChannelWriter(channel.stderr);
    this.writers = stdout === stderr ? [stdout] : [stdout, stderr];
    channel.once('close', () => this.closed());
    if (this.isClosed) for (const w of this.writers) w.markGone();

    const type = work.kind === 'shell' ? 'shell' : 'exec';
    this.audit('session-start', {
      type,
      pty: this.pty ? `${this.pty.term} ${this.pty.cols}x${this.pty.rows}` : undefined,
      command: work.kind === 'exec' ? work.line : undefined,
      forced: work.kind === 'exec' && work.originalCommand !== undefined ? true : undefined,
      original: work.kind === 'exec' ? work.originalCommand : undefined,
    });

    let result: ExitResult;
    try {
      result = await this.runWork(channel, work, stdout, stderr);
    } catch (err) {
      // A bug below us must still end the session properly (exit-status, close).
      this.audit('error', { message: err instanceof Error ? err.message : String(err) });
      stderr.write(`breakglassd: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      result = { code: 1 };
    }

    const gone = (): boolean => stdout.isGone;
    await drained(stdout, gone);
    if (stderr !== stdout) await drained(stderr, gone);
    await drained(channel, gone);
    await drained(channel.stderr, gone);
    if (!gone()) {
      if (result.signal) channel.exit(result.signal, false, '');
      else channel.exit(result.code & 0xff);
      channel.end();
    }
    this.audit('session-end', {
      type,
      status: result.signal ? undefined : result.code,
      signal: result.signal,
      duration_ms: Date.now() - this.startedAt,
    });
  }

  private async runWork(channel: SessionChannel, work: Exclude<Work, { kind: 'sftp' }>, stdout: ChannelWriter, stderr: ChannelWriter): Promise<ExitResult> {
    if (work.kind === 'exec') {
      const { isScpCommand, runScp } = await import('../transfer/index.js');
      if (isScpCommand(work.line)) {
        if (!this.ctx.toolbox) {
          stderr.write('scp: the toolbox is unavailable on this server (see the breakglassd log)\n');
          return { code: 1 };
        }
        const code = await runScp(work.line, { stdin: channel, stdout, stderr }, { toolbox: this.ctx.toolbox, audit: (e, f) => this.audit(e, f) });
        return { code };
      }
    }
    let shell: ShellSession;
    try {
      const { createShellSession } = await import('../shell/index.js');
      shell = createShellSession({
        stdin: channel,
        stdout,
        stderr,
        env: this.env(work.kind === 'exec' ? work.originalCommand : undefined),
        ...(work.kind === 'shell' && this.ctx.banner ? { greeting: this.ctx.banner() } : {}),
        cwd: this.ctx.home,
        home: this.ctx.home,
        ...(this.pty ? { pty: this.pty } : {}),
        services: { ...this.ctx.services, audit: (e, f) => this.audit(e, f), sessions: () => this.ctx.terminals.list(this.ctx.key.fingerprint) },
      });
    } catch (err) {
      stderr.write(`breakglassd: cannot start the shell: ${err instanceof Error ? err.message : String(err)}\n`);
      return { code: 1 };
    }
    this.shell = shell;
    if (this.isClosed) this.closing = this.closeShell(shell);
    if (work.kind === 'shell') return shell.runInteractive();
    return shell.runCommand(work.line);
  }

  private env(originalCommand: string | undefined): Record<string, string> {
    return buildSessionEnv({
      user: 'root',
      home: this.ctx.home,
      path: this.ctx.path,
      remoteAddress: this.ctx.remoteAddress,
      remotePort: this.ctx.remotePort,
      localAddress: this.ctx.localAddress,
      localPort: this.ctx.localPort,
      term: this.pty?.term,
      clientEnv: this.clientEnv,
      originalCommand,
    });
  }

  private get peer(): string {
    return formatHostPort(this.ctx.remoteAddress, this.ctx.remotePort);
  }

  /** `shell` with a pty: a session that outlives this channel (src/sshd/detach). */
  private async runTerminal(channel: SessionChannel, pty: PtyRequest): Promise<void> {
    const registry = this.ctx.terminals;
    const id = registry.allocateId();
    this.audit('session-start', { type: 'shell', pty: `${pty.term} ${pty.cols}x${pty.rows}`, id });
    const size = { cols: pty.cols, rows: pty.rows };
    const { key } = this.ctx;
    let recorder: SessionRecorder | undefined;
    try {
      recorder = await this.ctx.recorder?.({ id, size, term: pty.term, owner: key.comment || key.fingerprint });
    } catch (err) {
      this.audit('warning', { message: `recording session ${id}: ${err instanceof Error ? err.message : String(err)}; the session is not recorded` });
    }
    let attachment: Attachment;
    try {
      const { createShellSession } = await import('../shell/index.js');
      const session = registry.create({
        id,
        owner: { fingerprint: key.fingerprint, comment: key.comment },
        size,
        closeGraceMs: this.ctx.closeGraceMs,
        origin: { conn: this.ctx.connId, session: this.ctx.sessionId },
        ...(recorder ? { recorder } : {}),
        ...(this.resumeToken ? { resumeToken: this.resumeToken } : {}),
        createShell: (io) =>
          createShellSession({
            stdin: io.stdin,
            stdout: io.stdout,
            stderr: io.stdout,
            env: { ...this.env(undefined), BREAKGLASS_SESSION: id },
            cwd: this.ctx.home,
            home: this.ctx.home,
            pty,
            scrollback: this.ctx.scrollback,
            ...(this.ctx.banner ? { greeting: this.ctx.banner() } : {}),
            services: { ...this.ctx.services, audit: (e, f) => this.ctx.audit(e, { id, ...f }), sessions: () => registry.list(key.fingerprint, id) },
          }),
      });
      attachment = session.start(channel, this.peer);
    } catch (err) {
      await recorder?.close().catch(() => undefined);
      this.audit('error', { message: `cannot start the shell: ${err instanceof Error ? err.message : String(err)}` });
      return this.refuse(channel, 1, `breakglassd: cannot start the shell: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.attachment = attachment;
    // The connection went while the shell was being built.
    if (this.isClosed) attachment.lost('connection lost');
    await this.serveAttachment(channel, attachment);
  }

  /** `ssh -t HOST attach [ID]`: bind this channel to a session the same key opened. */
  private async runAttach(channel: SessionChannel, requested: string | undefined): Promise<void> {
    const registry = this.ctx.terminals;
    const { key } = this.ctx;
    const refused = (reason: string, code: number, message: string): Promise<void> => {
      this.audit('attach-refused', { id: requested, key: key.fingerprint, comment: key.comment || undefined, reason });
      return this.refuse(channel, code, message);
    };
    if (!registry.detachEnabled) return refused('detaching is off', 2, 'attach: detached sessions are off on this server (breakglassd --detach-timeout 0)');
    if (!this.pty) return refused('no pty', 2, 'attach: needs a terminal; run ssh -t HOST attach [ID]');
    const choice = registry.choose(key.fingerprint, requested, this.resumeToken);
    if (!choice.ok) return refused(choice.reason, choice.code, choice.message);
    const session = registry.get(choice.id)!;
    this.audit('attach', { id: session.id, key: key.fingerprint, comment: key.comment || undefined, from: this.peer, took_over: choice.takeOver || undefined, resumed: this.resumeToken ? true : undefined });
    const attachment = await session.attach(channel, { cols: this.pty.cols, rows: this.pty.rows }, this.peer, this.resumeToken);
    this.attachment = attachment;
    // A window-change that came while the screen was restored.
    attachment.resize({ cols: this.pty.cols, rows: this.pty.rows });
    if (this.isClosed) attachment.lost('connection lost');
    await this.serveAttachment(channel, attachment);
  }

  /** Waits for the attachment to end; an exit or a take-over is reported on the channel. */
  private async serveAttachment(channel: SessionChannel, attachment: Attachment): Promise<void> {
    channel.once('close', () => this.closed());
    const end = await attachment.ended;
    if (end.kind === 'detached') return;
    const gone = (): boolean => this.isClosed;
    if (end.kind === 'taken') channel.write(`\r\n[breakglass: session ${attachment.session.id} was attached from ${end.by}]\r\n`);
    await drained(channel, gone);
    if (gone()) return;
    const result = end.kind === 'exit' ? end.result : { code: 0 };
    if (result.signal) channel.exit(result.signal, false, '');
    else channel.exit(result.code & 0xff);
    channel.end();
  }

  /** One line on stderr, exit status, close. */
  private async refuse(channel: SessionChannel, code: number, message: string): Promise<void> {
    channel.stderr.write(`${message}\n`);
    const gone = (): boolean => this.isClosed;
    await drained(channel.stderr, gone);
    if (gone()) return;
    channel.exit(code);
    channel.end();
  }
}
