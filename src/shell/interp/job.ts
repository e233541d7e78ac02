// A job: the processes and built-ins started for one pipeline (foreground) or one
// `… &` list (background). Each external runs in its own process group (detached), so
// signals go to the whole group; built-ins stop through the job's AbortController.
import type { ChildProcess } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import type { Readable } from 'node:stream';
import { signalGroup } from '../../os/index.js';
import type { ExitResult } from '../types.js';
import { statusOfSignal } from './signals.js';

export type JobState = 'running' | 'stopped' | 'done';

function unlimited(controller: AbortController): AbortController {
  setMaxListeners(0, controller.signal);
  return controller;
}

export class Job {
  state: JobState = 'running';
  status: ExitResult | undefined;
  /** Listed by `jobs` until its end was reported. */
  reported = false;
  /** Every built-in of the job listens to it: a long pipeline is not a leak. */
  readonly abort = unlimited(new AbortController());
  /** The signal that aborted the job's built-ins, for their exit status (128+N). */
  abortedBy: NodeJS.Signals | undefined;
  /** Stdin of the first command when it reads the terminal / channel. */
  input: Readable | undefined;
  /** A built-in reading keys one at a time (`top`) owns the terminal input. */
  rawInput = false;
  /** A program on a real pseudo-terminal: keys and window sizes go to it untouched. */
  terminal: { write(keys: Buffer): void; resize(cols: number, rows: number): void; resume(): void } | undefined;
  private readonly children = new Set<ChildProcess>();
  /** Every PID this job ever ran (for `kill PID`, `wait PID`, `jobs -l`). */
  readonly pids: number[] = [];
  private stopWaiters: Array<() => void> = [];
  private doneWaiters: Array<(r: ExitResult) => void> = [];

  constructor(
    readonly id: number,
    readonly text: string,
    public background: boolean,
  ) {}

  add(child: ChildProcess): void {
    if (child.pid === undefined) return;
    this.children.add(child);
    this.pids.push(child.pid);
    child.once('exit', () => this.children.delete(child));
  }

  get live(): number {
    return this.children.size;
  }

  /** The process group leaders still running (each external is its own group). */
  groups(): number[] {
    return [...this.children].map((c) => c.pid!).filter((pid) => pid !== undefined);
  }

  /** Sends a signal to every process group of the job; INT/TERM/HUP/KILL also abort built-ins. */
  kill(signal: NodeJS.Signals): void {
    for (const child of this.children) {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) continue;
      // The group refused the signal (not gone, that is fine): try the leader alone.
      if (signalGroup(child.pid, signal) !== undefined) child.kill(signal);
    }
    if (['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL', 'SIGQUIT'].includes(signal) && !this.abort.signal.aborted) {
      this.abortedBy = signal;
      this.abort.abort(new Error(`interrupted by ${signal}`));
    }
  }

  /**
   * ^Z. Our jobs are process groups without a controlling terminal, which the kernel
   * treats as orphaned and so discards SIGTSTP's default stop; SIGSTOP follows so the
   * job really stops (programs that catch SIGTSTP still see it first).
   */
  stop(): boolean {
    if (this.state !== 'running' || this.children.size === 0) return false;
    this.kill('SIGTSTP');
    this.kill('SIGSTOP');
    return this.stopped();
  }

  /** The job stopped by other means: a program on a real pty got ^Z from its line discipline. */
  stopped(): boolean {
    if (this.state !== 'running') return false;
    this.state = 'stopped';
    const waiters = this.stopWaiters;
    this.stopWaiters = [];
    for (const w of waiters) w();
    return true;
  }

  cont(): void {
    if (this.state === 'stopped') this.state = 'running';
    // On a pty the program's own shell (busybox ash) stopped it and must continue it.
    if (this.terminal) this.terminal.resume();
    else this.kill('SIGCONT');
  }

  finish(result: ExitResult): void {
    if (this.state === 'done') return;
    this.state = 'done';
    // A built-in ended by the signal reports 128+N without naming it: name it, so
    // `jobs` says Terminated (as for a killed process), not Exit 143.
    const bySignal = this.abortedBy && statusOfSignal(this.abortedBy);
    this.status = bySignal && !result.signal && result.code === bySignal.code ? bySignal : result;
    const waiters = this.doneWaiters;
    this.doneWaiters = [];
    for (const w of waiters) w(result);
  }

  /** Resolves when the job ends. */
  done(): Promise<ExitResult> {
    if (this.state === 'done') return Promise.resolve(this.status!);
    return new Promise((resolve) => this.doneWaiters.push(resolve));
  }

  /** Resolves with 'stopped' on ^Z or the status when it ends, whichever first. */
  waitForeground(): Promise<ExitResult | 'stopped'> {
    if (this.state === 'done') return Promise.resolve(this.status!);
    return new Promise((resolve) => {
      this.stopWaiters.push(() => resolve('stopped'));
      this.doneWaiters.push(resolve);
    });
  }
}

/** Job ids as sh hands them out: the lowest free number; `%+` is the newest. */
export class JobTable {
  private readonly jobs = new Map<number, Job>();

  create(text: string, background: boolean): Job {
    let id = 1;
    while (this.jobs.has(id)) id++;
    const job = new Job(id, text, background);
    this.jobs.set(id, job);
    return job;
  }

  remove(job: Job): void {
    if (this.jobs.get(job.id) === job) this.jobs.delete(job.id);
  }

  /** Background and stopped jobs (the foreground pipeline is not listed). */
  list(): Job[] {
    return [...this.jobs.values()].filter((j) => j.background || j.state === 'stopped').sort((a, b) => a.id - b.id);
  }

  /** Every job including the running foreground one. */
  all(): Job[] {
    return [...this.jobs.values()];
  }

  get(id: number): Job | undefined {
    return this.jobs.get(id);
  }

  /** The current job (`%+`, `%%`, `fg` without argument): the newest stopped, else the newest. */
  current(): Job | undefined {
    const all = this.list().filter((j) => j.state !== 'done');
    return all.filter((j) => j.state === 'stopped').at(-1) ?? all.at(-1);
  }

  previous(): Job | undefined {
    const cur = this.current();
    return this.list().filter((j) => j.state !== 'done' && j !== cur).at(-1);
  }

  /** `%1`, `%+`, `%%`, `%-`, `%name`, `%?text`, or a PID of one of the jobs. */
  find(spec: string): Job | undefined {
    if (/^\d+$/.test(spec)) {
      const pid = Number(spec);
      return this.list().find((j) => j.pids.includes(pid));
    }
    if (!spec.startsWith('%')) return undefined;
    const rest = spec.slice(1);
    if (rest === '' || rest === '+' || rest === '%') return this.current();
    if (rest === '-') return this.previous();
    if (/^\d+$/.test(rest)) return this.jobs.get(Number(rest));
    if (rest.startsWith('?')) return this.list().find((j) => j.text.includes(rest.slice(1)));
    return this.list().find((j) => j.text.startsWith(rest));
  }
}
