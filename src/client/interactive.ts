// `breakglass HOST` with a terminal and no command: the interactive session, like mosh
// for a shell-less device. breakglassd keeps a dropped session running (detached), so:
//  - before opening a fresh shell, offer the key's detached session (`--new` skips it);
//  - when ssh exits 255 (the link dropped, or ServerAlive gave up after ~15 s), reconnect
//    with `ssh -t HOST attach` and our BREAKGLASS_RESUME secret, with backoff, until
//    --reconnect-timeout; the server restores the screen and the shell goes on.
// Every ssh here is the system one (the user's config, agent and keys apply).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RESUME_ENV, newResumeToken, restartDelayMs } from '../common/index.js';
import type { BackoffPolicy } from '../common/index.js';
import { runProgram } from './processes.js';
import { describeOffer, formatSeconds, parseSessionList, pickDetached } from './session-offer.js';
import { sshArgs } from './ssh-args.js';
import type { SshSettings } from './ssh-args.js';

export interface InteractiveOptions {
  /** With controlPath and `resumable` set: the first ssh rides the upload's connection. */
  settings: SshSettings;
  destination: string;
  /** The name the user typed (for messages). */
  host: string;
  /** --new: a fresh shell even when a detached one waits. */
  newSession: boolean;
  /** --reconnect-timeout; 0 never reconnects. */
  reconnectTimeoutMs: number;
  /** Our private temporary directory (connection markers). */
  tmp: string;
  say: (line: string) => void;
}

/** 250 ms, doubling to 5 s: a Wi-Fi that comes back is used within seconds. */
const RECONNECT_BACKOFF: BackoffPolicy = { initialMs: 250, maxMs: 5000, stableMs: Infinity };
/** Per attempt: a link that is still down fails fast instead of hanging in connect(). */
const ATTEMPT_CONNECT_TIMEOUT_S = 10;

/** A drop, as ssh reports it: connection failures and lost links all exit 255. */
const SSH_FAILED = 255;

export async function runInteractive(o: InteractiveOptions): Promise<number> {
  const env = { ...process.env, [RESUME_ENV]: newResumeToken() };
  const listing = await runProgram('ssh', sshArgs(o.settings, o.destination, ['sessions', '--json']), { stdio: ['ignore', 'pipe', 'inherit'] });
  const sessions = listing.code === 0 ? parseSessionList(listing.stdout) : undefined;
  // No list: not a breakglassd that keeps sessions (or the connection failed): plain ssh.
  const offer = sessions && !o.newSession ? pickDetached(sessions) : undefined;
  if (offer) o.say(describeOffer(offer, o.host));
  const command = offer ? ['attach', offer.session.id] : [];
  // Listening from the start: a SIGHUP that ends the first ssh must not start reconnecting.
  // Reconnects connect anew: the shared connection went with the link.
  const { controlPath: _shared, ...direct } = o.settings;
  const reconnect = sessions && o.reconnectTimeoutMs > 0 ? new Reconnector({ ...o, settings: direct }, env) : undefined;
  try {
    let code = (await runProgram('ssh', sshArgs(o.settings, o.destination, command, offer ? ['-t'] : []), { stdio: 'inherit', env, forwardSignals: ['SIGTERM', 'SIGHUP'] })).code;
    while (reconnect && code === SSH_FAILED && !reconnect.stopped) {
      const next = await reconnect.run();
      if (next === undefined) return SSH_FAILED;
      code = next;
    }
    return code;
  } finally {
    reconnect?.dispose();
  }
}

const STOP_SIGNALS = ['SIGINT', 'SIGHUP', 'SIGTERM'] as const;
/** How long a lost ssh waits before the first attempt, for a SIGHUP still on its way. */
const SIGNAL_GRACE_MS = 150;

/** One outage: attempts with backoff until one connects, the user gives up, or time is up. */
class Reconnector {
  stopped = false;
  private attempts = 0;
  private readonly status: StatusLine;

  constructor(
    private readonly o: InteractiveOptions,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.status = new StatusLine(o.say);
    for (const signal of STOP_SIGNALS) process.on(signal, this.stop);
    // A closed terminal: writing to it fails (EIO). Nobody is left to reconnect for (the
    // entry point keeps the error itself from ending us before the cleanup).
    process.stderr.on('error', this.terminalClosed);
  }

  dispose(): void {
    for (const signal of STOP_SIGNALS) process.off(signal, this.stop);
    process.stderr.off('error', this.terminalClosed);
  }

  /**
   * ^C while the terminal is ours (between attempts; while attached it is a byte for the
   * remote shell): stop trying. SIGHUP, SIGTERM: the terminal or the user is going away.
   */
  private readonly stop = (): void => {
    this.stopped = true;
    this.wake?.();
  };

  private readonly terminalClosed = (): void => {
    this.quiet = true;
    this.stop();
  };

  /** The terminal is gone: say nothing more. */
  private quiet = false;
  private wake: (() => void) | undefined;

  /** The exit status of the ssh that got through, or undefined when we gave up. */
  async run(): Promise<number | undefined> {
    const started = Date.now();
    let failures = 0;
    let reason = '';
    // A closed terminal ends ssh too, and its exit may reach us before our own SIGHUP.
    await this.sleep(SIGNAL_GRACE_MS);
    while (!this.stopped) {
      const elapsed = Date.now() - started;
      if (elapsed >= this.o.reconnectTimeoutMs) break;
      this.status.show(`connection lost, reconnecting… (${formatSeconds(elapsed / 1000)} of ${formatSeconds(this.o.reconnectTimeoutMs / 1000)}${reason ? `; ${reason}` : ''}; ^C gives up)`);
      const attempt = await this.attempt();
      if (attempt.connected || attempt.code !== SSH_FAILED) {
        this.status.clear();
        return attempt.code;
      }
      reason = attempt.lastLine;
      failures += 1;
      await this.sleep(Math.min(restartDelayMs(failures, RECONNECT_BACKOFF), Math.max(0, started + this.o.reconnectTimeoutMs - Date.now())));
    }
    if (!this.quiet) this.status.done(
      this.stopped
        ? `stopped reconnecting; the session waits on ${this.o.host} for its detach timeout: breakglass ${this.o.host} reattaches it`
        : `gave up reconnecting after ${formatSeconds(this.o.reconnectTimeoutMs / 1000)} (--reconnect-timeout)${reason ? `: ${reason}` : ''}; the session may still wait on ${this.o.host}: breakglass ${this.o.host} reattaches it`,
    );
    return undefined;
  }

  /**
   * `ssh -t HOST attach` with our secret. LocalCommand touches a marker once ssh has
   * connected and authenticated: from then on the attempt is the session again, and its
   * stderr passes through; before, it is kept for the status line.
   */
  private async attempt(): Promise<{ connected: boolean; code: number; lastLine: string }> {
    this.attempts += 1;
    const marker = join(this.o.tmp, `connected-${this.attempts}`);
    const extra = ['-t', '-o', `ConnectTimeout=${ATTEMPT_CONNECT_TIMEOUT_S}`, '-o', 'PermitLocalCommand=yes', '-o', `LocalCommand=touch ${marker}`];
    let held = '';
    let connected = false;
    const poll = setInterval(() => {
      if (!existsSync(marker)) return;
      connected = true;
      clearInterval(poll);
      process.stderr.write(held);
      held = '';
    }, 200);
    try {
      const result = await runProgram('ssh', sshArgs(this.o.settings, this.o.destination, ['attach'], extra), {
        stdio: ['inherit', 'inherit', 'pipe'],
        env: this.env,
        forwardSignals: ['SIGTERM', 'SIGHUP'],
        onStderr: (chunk) => {
          if (connected) process.stderr.write(chunk);
          else held += chunk.toString();
        },
      });
      connected ||= existsSync(marker);
      if (connected || result.code !== SSH_FAILED) process.stderr.write(held);
      const lastLine = held.trim().split('\n').pop()?.trim() ?? '';
      return { connected, code: result.code, lastLine };
    } finally {
      clearInterval(poll);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** One line on stderr that updates in place on a terminal (a line per update otherwise). */
class StatusLine {
  private readonly tty = process.stderr.isTTY === true;
  private shown = false;

  constructor(private readonly say: (line: string) => void) {}

  show(text: string): void {
    if (!this.tty) return this.say(text);
    // ssh left the cursor wherever the remote screen had it: start on a line of our own.
    process.stderr.write(`${this.shown ? '\r\x1b[K' : '\r\n'}breakglass: ${text}`);
    this.shown = true;
  }

  clear(): void {
    if (this.tty && this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }

  done(text: string): void {
    this.clear();
    this.say(text);
  }
}
