// Every interactive pty session of the server, attached or detached. A detached one
// waits --detach-timeout for its owner, then expires (its jobs get SIGHUP, then
// SIGKILL). At most --max-detached wait at once: one more detaching expires the session
// that has waited longest. With --detach-timeout 0 a lost channel ends the session at
// once, as before detaching existed (the registry still lists and records sessions).
import type { ExitResult, SessionListing } from '../../shell/index.js';
import type { AuditFn } from '../audit.js';
import { chooseSession } from './attach-command.js';
import type { AttachChoice } from './attach-command.js';
import { TerminalSession } from './terminal-session.js';
import type { Lifecycle, TerminalSessionOptions } from './terminal-session.js';

export interface RegistryOptions {
  /** 0: detaching is off. */
  detachTimeoutMs: number;
  maxDetached: number;
  audit: AuditFn;
  /** Told whenever the number of sessions changes (idle-exit waits for none). */
  onCountChange?: (count: number) => void;
  now?: () => number;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, TerminalSession>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private nextId = 1;

  constructor(private readonly options: RegistryOptions) {}

  get detachEnabled(): boolean {
    return this.options.detachTimeoutMs > 0;
  }

  get count(): number {
    return this.sessions.size;
  }

  /** Creates and registers a session; the caller starts it on its channel. */
  create(options: Omit<TerminalSessionOptions, 'id' | 'lifecycle' | 'now'> & { id?: string }): TerminalSession {
    const id = options.id ?? this.allocateId();
    const lifecycle: Lifecycle = {
      attached: (s) => this.clearTimer(s.id),
      detached: (s, reason) => this.onDetached(s, reason),
      ended: (s, result) => this.onEnded(s, result),
    };
    const session = new TerminalSession({ ...options, id, lifecycle, ...(this.options.now ? { now: this.options.now } : {}) });
    this.sessions.set(id, session);
    this.options.onCountChange?.(this.sessions.size);
    return session;
  }

  /** An ID for a session about to be created (its shell gets it as $BREAKGLASS_SESSION). */
  allocateId(): string {
    return String(this.nextId++);
  }

  get(id: string): TerminalSession | undefined {
    return this.sessions.get(id);
  }

  choose(fingerprint: string, requested: string | undefined, resumeToken?: string): AttachChoice {
    const candidates = [...this.sessions.values()]
      .filter((s) => !s.ended)
      .map((s) => ({ id: s.id, fingerprint: s.owner.fingerprint, state: s.state, detachedAt: s.detachedAt, resumeToken: s.resumeToken }));
    return chooseSession(candidates, fingerprint, requested, resumeToken);
  }

  /** Every live session; `yours` marks those the viewer's key opened (they may attach to them). */
  list(viewerFingerprint: string, currentId?: string): SessionListing[] {
    return [...this.sessions.values()]
      .filter((s) => !s.ended)
      .map((s) => ({
        id: s.id,
        key: s.owner.fingerprint,
        comment: s.owner.comment,
        started: s.startedAt,
        state: s.state,
        idleMs: s.idleMs(),
        command: s.command(),
        current: s.id === currentId,
        yours: s.owner.fingerprint === viewerFingerprint,
      }));
  }

  private onDetached(session: TerminalSession, reason: string): void {
    if (!this.detachEnabled) {
      void session.close();
      return;
    }
    const timeoutMs = this.options.detachTimeoutMs;
    this.options.audit('detach', { id: session.id, reason, expires_in_ms: timeoutMs });
    this.clearTimer(session.id);
    const timer = setTimeout(() => this.expire(session, `nobody attached within ${timeoutMs} ms`), timeoutMs);
    timer.unref();
    this.timers.set(session.id, timer);
    this.enforceLimit();
  }

  /** Past --max-detached, the session that has waited longest goes first. */
  private enforceLimit(): void {
    const detached = [...this.sessions.values()].filter((s) => s.state === 'detached' && !s.ended && s.detachedAt !== undefined);
    detached.sort((a, b) => a.detachedAt! - b.detachedAt!);
    while (detached.length > this.options.maxDetached) {
      this.expire(detached.shift()!, `more than ${this.options.maxDetached} detached sessions (--max-detached); the oldest goes first`);
    }
  }

  private expire(session: TerminalSession, reason: string): void {
    this.clearTimer(session.id);
    if (session.ended || session.state === 'attached') return;
    this.options.audit('expire', { id: session.id, reason, detached_ms: session.detachedAt !== undefined ? (this.options.now ?? Date.now)() - session.detachedAt : undefined });
    void session.close();
  }

  private onEnded(session: TerminalSession, result: ExitResult): void {
    this.clearTimer(session.id);
    if (!this.sessions.delete(session.id)) return;
    this.options.audit('session-end', {
      ...session.origin,
      id: session.id,
      type: 'shell',
      status: result.signal ? undefined : result.code,
      signal: result.signal,
      duration_ms: (this.options.now ?? Date.now)() - session.startedAt,
    });
    this.options.onCountChange?.(this.sessions.size);
  }

  private clearTimer(id: string): void {
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
  }

  /** Daemon stop: every session ends, attached or not; resolves when their processes are gone. */
  async shutdown(): Promise<void> {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.sessions.values()].map((s) => s.shutdown()));
  }
}
