// One supervised service, gokrazy style: its own process group, stdout/stderr kept in
// 100-line rings, exit 0 or 125 ends supervision, any other exit restarts it after a
// backoff. Restart and stop act on the whole process group (kill(-pgid)).
import type { ChildProcess } from 'node:child_process';
import { signalGroup, spawnGroup } from '../os/index.js';
import type { ProcessGroup } from '../os/index.js';
import { messageOf, DEFAULT_BACKOFF, nextFailureCount, restartDelayMs } from '../common/index.js';
import type { BackoffPolicy } from '../common/index.js';
import type { ServiceConfig } from './config.js';
import { LineCounter, LineRing } from './ring-buffer.js';

export type ServiceState = 'stopped' | 'running' | 'backoff' | 'stopping';

/** gokrazy's convention: 125 means "do not supervise me" (DontStartOnBoot). */
export const EXIT_DONT_SUPERVISE = 125;

export interface ServiceOptions {
  stopGraceMs: number;
  backoff?: BackoffPolicy;
  /** Added to every service's environment (BREAKGLASS_INIT_SOCKET). */
  extraEnv: Record<string, string>;
}

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  at: Date;
}

/** What GET / and /status report about a service (gokrazy's JSON field names first). */
export interface ServiceStatus {
  Path: string;
  Args: string[];
  Stopped: boolean;
  StartTime: string | null;
  Pid: number;
  State: ServiceState;
  LastExit: { Code: number | null; Signal: string | null; Time: string } | null;
  LastLine: string;
  Restarts: number;
}

export class Service {
  private readonly lineCounter = new LineCounter();
  readonly stdout = new LineRing(undefined, undefined, this.lineCounter);
  readonly stderr = new LineRing(undefined, undefined, this.lineCounter);
  private child: ChildProcess | undefined;
  private group: ProcessGroup | undefined;
  /** The signal of the stop that started the SIGKILL grace, for the note. */
  private stopSignal: NodeJS.Signals | undefined;
  private wanted = false;
  private stateValue: ServiceState = 'stopped';
  private startedAt: Date | undefined;
  private lastExitValue: ExitInfo | undefined;
  private failures = 0;
  private restarts = 0;
  private restartPending = false;
  private backoffTimer: NodeJS.Timeout | undefined;
  private lastLineValue = '';
  private exitWaiters: Array<() => void> = [];

  constructor(
    readonly config: ServiceConfig,
    private readonly options: ServiceOptions,
  ) {
    const remember = (line: string): void => {
      this.lastLineValue = line;
    };
    this.stdout.subscribe(remember);
    this.stderr.subscribe(remember);
  }

  get path(): string {
    return this.config.path;
  }

  get state(): ServiceState {
    return this.stateValue;
  }

  /** gokrazy's "stopped": supervision is off (not merely between restarts). */
  get stopped(): boolean {
    return !this.wanted;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the service at boot unless it is configured `dontStart`. */
  boot(): void {
    if (this.config.dontStart) {
      this.note('not started at boot (dontStart); start it from the web UI');
      return;
    }
    this.wanted = true;
    this.spawnNow(true);
  }

  /** Starts a stopped service, or restarts a running one (SIGTERM to its group). */
  restart(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.wanted = true;
    this.failures = 0;
    if (this.child?.pid !== undefined) {
      this.restartPending = true;
      this.stateValue = 'stopping';
      this.terminate(signal);
      return;
    }
    this.clearBackoff();
    this.spawnNow(false);
  }

  /** Ends supervision and the process group: SIGTERM, then SIGKILL after the grace time. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    this.wanted = false;
    this.restartPending = false;
    this.clearBackoff();
    if (this.child?.pid === undefined) {
      this.stateValue = 'stopped';
      return Promise.resolve();
    }
    this.stateValue = 'stopping';
    const exited = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    this.terminate(signal);
    return exited;
  }

  private terminate(signal: NodeJS.Signals): void {
    if (this.child?.pid === undefined) return;
    this.stopSignal ??= signal;
    this.group?.stop(signal);
  }

  private clearBackoff(): void {
    if (this.backoffTimer) clearTimeout(this.backoffTimer);
    this.backoffTimer = undefined;
  }

  /** A line of our own in the service's stderr ring, as gokrazy logs "gokrazy: …". */
  private note(message: string): void {
    this.stderr.write(`breakglass-init: ${message}\n`);
  }

  private spawnNow(firstStart: boolean): void {
    const [file, ...args] = this.config.command;
    const env: NodeJS.ProcessEnv = { ...process.env, ...this.options.extraEnv, ...this.config.env };
    // gokrazy's DontStartOnBoot convention: programs exit 125 on their first start.
    if (firstStart) env.GOKRAZY_FIRST_START = '1';
    else delete env.GOKRAZY_FIRST_START;
    this.stdout.markStart();
    this.stderr.markStart();
    this.note(`starting ${JSON.stringify(this.config.command)}`);
    this.startedAt = new Date();
    this.stateValue = 'running';
    let child: ChildProcess;
    try {
      // Its own process group, so stop/restart reach every process of it.
      this.stopSignal = undefined;
      this.group = spawnGroup(file!, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        env,
        ...(this.config.cwd ? { cwd: this.config.cwd } : {}),
        killGraceMs: this.options.stopGraceMs,
        onKill: () => this.note(`still running ${this.options.stopGraceMs} ms after ${this.stopSignal}; sending SIGKILL`),
        onSignalError: (message) => this.note(message),
      });
      child = this.group.child;
    } catch (err) {
      this.note(`cannot start: ${messageOf(err)}`);
      this.onEnded(null, null);
      return;
    }
    this.child = child;
    child.stdout!.on('data', (chunk: Buffer) => this.stdout.write(chunk));
    child.stderr!.on('data', (chunk: Buffer) => this.stderr.write(chunk));
    let ended = false;
    const end = (code: number | null, signal: string | null): void => {
      if (ended) return;
      ended = true;
      this.stdout.flush();
      this.stderr.flush();
      this.onEnded(code, signal);
    };
    child.once('error', (err) => {
      // Spawn failures (ENOENT, EACCES) emit 'error' and never 'exit'.
      if (child.pid === undefined) {
        this.note(`cannot start: ${err.message}`);
        end(null, null);
      }
    });
    child.once('exit', (code, signal) => end(code, signal));
  }

  private onEnded(code: number | null, signal: string | null): void {
    const pid = this.child?.pid;
    this.child = undefined;
    this.group = undefined;
    const ranForMs = this.startedAt ? Date.now() - this.startedAt.getTime() : 0;
    this.lastExitValue = { code, signal, at: new Date() };
    if (code !== null || signal !== null) this.note(signal ? `killed by ${signal}` : `exited with status ${code}`);
    // Stopping a service stops all of it: leftovers of its group go too.
    if (pid !== undefined && !this.wanted) signalGroup(pid, 'SIGKILL');
    const waiters = this.exitWaiters;
    this.exitWaiters = [];

    if (this.restartPending && this.wanted) {
      this.restartPending = false;
      this.restarts++;
      this.spawnNow(false);
    } else if (!this.wanted) {
      this.stateValue = 'stopped';
    } else if (code === 0 || code === EXIT_DONT_SUPERVISE) {
      this.wanted = false;
      this.stateValue = 'stopped';
      this.note(code === 0 ? 'exited successfully; supervision stopped' : 'exit status 125: not supervised (start it from the web UI)');
    } else {
      const policy = this.options.backoff ?? DEFAULT_BACKOFF;
      this.failures = nextFailureCount(this.failures, ranForMs, policy);
      const delay = restartDelayMs(this.failures, policy);
      this.stateValue = 'backoff';
      this.note(`restarting in ${delay} ms`);
      this.backoffTimer = setTimeout(() => {
        this.backoffTimer = undefined;
        if (!this.wanted) return;
        this.restarts++;
        this.spawnNow(false);
      }, delay);
    }
    for (const resolve of waiters) resolve();
  }

  status(): ServiceStatus {
    const exit = this.lastExitValue;
    return {
      Path: this.config.path,
      Args: this.config.command,
      Stopped: this.stopped,
      StartTime: this.startedAt ? this.startedAt.toISOString() : null,
      Pid: this.child?.pid ?? 0,
      State: this.stateValue,
      LastExit: exit ? { Code: exit.code, Signal: exit.signal, Time: exit.at.toISOString() } : null,
      LastLine: this.lastLineValue,
      Restarts: this.restarts,
    };
  }
}
