// A child process in its own process group, and "signal, then SIGKILL after a grace
// period": what the shell's mount delegate, init's services, runCapture, the shell's jobs
// and the client's ssh/scp share.
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { errnoCode } from './errno.js';

/**
 * Sends a signal to the process group led by `pid`. A group that is already gone is fine;
 * any other failure is returned, never thrown (this runs from timers and exit handlers).
 */
export function signalGroup(pid: number, signal: NodeJS.Signals): string | undefined {
  try {
    process.kill(-pid, signal);
    return undefined;
  } catch (err) {
    if (errnoCode(err) === 'ESRCH') return undefined;
    return `cannot send ${signal} to process group ${pid}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * Sends each of `signals` through `send` now and SIGKILL once `graceMs` passed, unless
 * `ended` settled first. Resolves with which came first, after that SIGKILL was sent.
 * The grace timer does not keep Node running (what is being ended does, while it runs).
 */
export async function signalThenKill(
  send: (signal: NodeJS.Signals) => void,
  signals: readonly NodeJS.Signals[],
  ended: Promise<unknown>,
  graceMs: number,
  onKill?: () => void,
): Promise<'ended' | 'killed'> {
  for (const signal of signals) send(signal);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'killed'>((resolve) => {
    timer = setTimeout(() => resolve('killed'), graceMs);
    timer.unref();
  });
  const first = await Promise.race([ended.then((): 'ended' => 'ended', (): 'ended' => 'ended'), expired]);
  clearTimeout(timer);
  if (first === 'killed') {
    onKill?.();
    send('SIGKILL');
  }
  return first;
}

export interface GroupOptions extends Omit<SpawnOptions, 'detached' | 'signal'> {
  /** Aborting it stops the group (stop() with killSignal). */
  signal?: AbortSignal;
  /** The first signal stop() sends by default: SIGTERM. */
  killSignal?: NodeJS.Signals;
  /** Grace between that signal and SIGKILL: 1000 ms by default. */
  killGraceMs?: number;
  /**
   * When the group counts as ended (stop() does nothing any more and a pending SIGKILL is
   * cancelled): at the leader's 'exit' (default), or at 'close', once its output pipes
   * closed too, so a leftover that holds them still gets the SIGKILL.
   */
  endsAt?: 'exit' | 'close';
  /** Called just before the SIGKILL after the grace. */
  onKill?: () => void;
  /** A signal that could not be sent (other than to a group already gone). */
  onSignalError?: (message: string) => void;
}

export interface ProcessGroup {
  readonly child: ChildProcess;
  /** Signals the whole group now (even after the leader ended: leftovers get it). */
  signal(signal: NodeJS.Signals): void;
  /**
   * Sends `signal` (default killSignal) to the group and, unless it is SIGKILL or a
   * SIGKILL is already pending, SIGKILL after the grace period. Nothing once it ended.
   */
  stop(signal?: NodeJS.Signals): void;
}

/** Spawns `file args…` (never through a shell) as the leader of a new process group. */
export function spawnGroup(file: string, args: readonly string[], options: GroupOptions = {}): ProcessGroup {
  const { signal: abort, killSignal = 'SIGTERM', killGraceMs = 1000, endsAt = 'exit', onKill, onSignalError, ...spawnOptions } = options;
  const child = spawn(file, args, { ...spawnOptions, detached: true });
  let ended = false;
  let killPending = false;
  let markEnded = (): void => undefined;
  const whenEnded = new Promise<void>((resolve) => {
    markEnded = resolve;
  });
  const send = (sig: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    const failure = signalGroup(child.pid, sig);
    if (failure) onSignalError?.(failure);
  };
  const stop = (sig: NodeJS.Signals = killSignal): void => {
    if (ended || child.pid === undefined) return;
    if (sig === 'SIGKILL' || killPending) return send(sig);
    killPending = true;
    void signalThenKill(send, [sig], whenEnded, killGraceMs, onKill).then(() => {
      killPending = false;
    });
  };
  const onAbort = (): void => stop();
  abort?.addEventListener('abort', onAbort, { once: true });
  const end = (): void => {
    ended = true;
    markEnded();
    abort?.removeEventListener('abort', onAbort);
  };
  child.once(endsAt, end);
  child.once('error', () => {
    if (child.pid === undefined) end(); // could not start: there is no group
  });
  return { child, signal: send, stop };
}
