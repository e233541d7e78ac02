// An interactive shell with a pty whose life is not tied to one SSH channel. The shell
// reads from `input` and draws into `output`; an attachment binds a channel to both.
// When the channel goes away without the client's EOF (the network dropped, `~.`,
// ssh killed), the shell, its jobs and its pty programs keep running, their output
// keeps going into the shell's screen model, and the session waits for its owner.
// Attaching again sends the model's snapshot (so the new terminal shows exactly what
// the old one did), resizes to the new window and rebinds input and output.
import { PassThrough } from 'node:stream';
import type { ExitResult, ShellSession, TerminalSize } from '../../shell/index.js';
import type { SessionChannel } from '../ssh2-adapter.js';
import { SwitchableOutput } from './output.js';

/** The key that opened the session: only it may attach. */
export interface SessionOwner {
  fingerprint: string;
  comment: string;
}

export interface SessionRecorder {
  output(chunk: Buffer): void;
  input(chunk: Buffer): void;
  resize(size: TerminalSize): void;
  close(): Promise<void>;
}

/** How an attachment ended, for the SSH session that carried it. */
export type AttachmentEnd =
  | { kind: 'exit'; result: ExitResult }
  | { kind: 'detached' }
  /** Another connection attached (`attach ID` from elsewhere). */
  | { kind: 'taken'; by: string };

export interface Lifecycle {
  attached(session: TerminalSession): void;
  detached(session: TerminalSession, reason: string): void;
  ended(session: TerminalSession, result: ExitResult): void;
}

export interface TerminalSessionOptions {
  id: string;
  owner: SessionOwner;
  size: TerminalSize;
  /** The shell, built on the session's own input and output. */
  createShell(io: { stdin: PassThrough; stdout: SwitchableOutput }): ShellSession;
  lifecycle: Lifecycle;
  closeGraceMs: number;
  recorder?: SessionRecorder;
  /** Audit fields of the SSH session that opened it (conn, session). */
  origin?: Record<string, unknown>;
  /** The opening client's BREAKGLASS_RESUME secret (see chooseSession). */
  resumeToken?: string;
  now?: () => number;
}

/** Puts a fresh terminal in a known state before the snapshot is drawn (RIS, ECMA-48 §8.3.105). */
const RESET = '\x1bc';

export class Attachment {
  private resolveEnd!: (end: AttachmentEnd) => void;
  readonly ended = new Promise<AttachmentEnd>((resolve) => (this.resolveEnd = resolve));
  isOver = false;
  /** The client sent EOF: its close ends the session instead of detaching it. */
  sawEof = false;

  constructor(
    readonly session: TerminalSession,
    readonly channel: SessionChannel,
    readonly peer: string,
  ) {}

  finish(end: AttachmentEnd): void {
    if (this.isOver) return;
    this.isOver = true;
    this.resolveEnd(end);
  }

  resize(size: TerminalSize): void {
    if (!this.isOver) this.session.resize(size);
  }

  signal(name: string): void {
    if (!this.isOver) this.session.signal(name);
  }

  /** Client EOF (RFC 4254 §5.3): the terminal's input ends, as it did before detaching existed. */
  eof(): void {
    if (this.isOver) return;
    this.sawEof = true;
    this.session.endInput();
  }

  /** The channel closed or the connection went away. */
  lost(reason: string): void {
    if (this.isOver) return;
    this.finish({ kind: 'detached' });
    this.session.lose(this, this.sawEof ? undefined : reason);
  }
}

export class TerminalSession {
  readonly id: string;
  readonly owner: SessionOwner;
  readonly startedAt: number;
  readonly origin: Record<string, unknown>;
  private readonly input = new PassThrough();
  private readonly output = new SwitchableOutput();
  private readonly shell: ShellSession;
  private attachment: Attachment | undefined;
  private size: TerminalSize;
  private lastActivity: number;
  private inputEnded = false;
  private ending: Promise<void> | undefined;
  private isEnded = false;
  /** When it was last detached (for "oldest detached goes first"). */
  detachedAt: number | undefined;
  /** Held by the client attached last; replaced at every attach. */
  resumeToken: string | undefined;
  private readonly now: () => number;
  /** Resolves with the shell's status once it has ended and the recording is closed. */
  finished: Promise<ExitResult> = Promise.resolve({ code: 0 });

  constructor(private readonly options: TerminalSessionOptions) {
    this.id = options.id;
    this.owner = options.owner;
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.origin = options.origin ?? {};
    this.resumeToken = options.resumeToken;
    this.lastActivity = this.startedAt;
    this.size = { ...options.size };
    const recorder = options.recorder;
    this.output.tap = (chunk) => {
      this.lastActivity = this.now();
      recorder?.output(chunk);
    };
    this.shell = options.createShell({ stdin: this.input, stdout: this.output });
  }

  get state(): 'attached' | 'detached' {
    return this.attachment ? 'attached' : 'detached';
  }

  get ended(): boolean {
    return this.isEnded;
  }

  idleMs(): number {
    return Math.max(0, this.now() - this.lastActivity);
  }

  command(): string {
    return this.shell.foregroundCommand() ?? 'sh';
  }

  /** Runs the interactive shell on the first attachment's channel. */
  start(channel: SessionChannel, peer: string): Attachment {
    const attachment = new Attachment(this, channel, peer);
    this.bind(attachment, '');
    this.finished = this.run();
    return attachment;
  }

  private async run(): Promise<ExitResult> {
    let result: ExitResult;
    try {
      result = await this.shell.runInteractive();
    } catch (err) {
      // A bug below us must still end the session properly (exit-status, close).
      this.output.write(`\r\nbreakglassd: internal error: ${err instanceof Error ? err.message : String(err)}\r\n`);
      result = { code: 1 };
    }
    this.isEnded = true;
    const attachment = this.attachment;
    this.attachment = undefined;
    this.detachedAt = undefined;
    attachment?.finish({ kind: 'exit', result });
    if (attachment) this.unbind(attachment);
    await this.close();
    await this.options.recorder?.close().catch(() => undefined);
    this.options.lifecycle.ended(this, result);
    return result;
  }

  /**
   * Attaches another channel: the one attached now (if any) is told it was taken over,
   * the screen is resized to the new window, its snapshot drawn, and input rebound.
   */
  async attach(channel: SessionChannel, size: TerminalSize, peer: string, resumeToken: string | undefined): Promise<Attachment> {
    const attachment = new Attachment(this, channel, peer);
    this.resumeToken = resumeToken;
    const previous = this.attachment;
    if (previous) {
      this.unbind(previous);
      previous.finish({ kind: 'taken', by: peer });
    }
    this.output.hold();
    this.attachment = attachment;
    this.detachedAt = undefined;
    this.options.lifecycle.attached(this);
    if (size.cols !== this.size.cols || size.rows !== this.size.rows) this.resize(size);
    const screen = await this.shell.snapshotScreen();
    // Lost again (or taken over, or the shell ended) while the snapshot was made.
    if (attachment.isOver || this.attachment !== attachment) return attachment;
    this.bind(attachment, RESET + screen);
    return attachment;
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.inputEnded) return;
    this.lastActivity = this.now();
    this.options.recorder?.input(chunk);
    this.input.write(chunk);
  };

  private bind(attachment: Attachment, preamble: string): void {
    this.attachment = attachment;
    this.output.attach(attachment.channel, preamble);
    attachment.channel.on('data', this.onData);
  }

  private unbind(attachment: Attachment): void {
    attachment.channel.off('data', this.onData);
    if (this.attachment === attachment || this.attachment === undefined) this.output.detach();
  }

  /** Called by the attachment: its channel is gone. No reason: the client ended it (EOF first). */
  lose(attachment: Attachment, reason: string | undefined): void {
    if (this.attachment !== attachment) return;
    this.unbind(attachment);
    this.attachment = undefined;
    if (this.isEnded) return;
    if (reason === undefined || this.inputEnded) {
      void this.close();
      return;
    }
    this.detachedAt = this.now();
    this.options.lifecycle.detached(this, reason);
  }

  resize(size: TerminalSize): void {
    if (size.cols === this.size.cols && size.rows === this.size.rows) return;
    this.size = { ...size };
    this.options.recorder?.resize(size);
    this.shell.resize(size);
  }

  signal(name: string): void {
    this.shell.signal(name);
  }

  endInput(): void {
    if (this.inputEnded) return;
    this.inputEnded = true;
    this.input.end();
  }

  /** Ends the shell and every job (SIGHUP, SIGKILL after the grace period). */
  close(): Promise<void> {
    this.ending ??= this.shell.close(this.options.closeGraceMs).catch(() => undefined);
    return this.ending;
  }

  /** close(), then wait until the session's work is over. */
  async shutdown(): Promise<void> {
    await this.close();
    await this.finished.catch(() => undefined);
  }
}
