// The interpreter: runs a parsed Script against injected state (variables, cwd, stdio,
// the process spawner, the built-in table). Jobs, pipelines and the sh exit-status
// conventions live here; terminal handling lives in the session.
import { spawn as nodeSpawn } from 'node:child_process';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { signalThenKill } from '../../os/index.js';
import { nodeFileSystem } from '../files/index.js';
import type { FileSystem, OpenFile } from '../files/index.js';
import { parse, ParseError } from '../syntax/index.js';
import type { AndOr, ListItem, Pipeline, Script, SimpleCommand } from '../syntax/index.js';
import type { Builtin, ExecIO, ExitResult, JobSummary, SessionServices, ShellHandle, TerminalSize } from '../types.js';
import { runBuiltin } from './builtin.js';
import { expandString, expandWord } from './expand.js';
import type { ExpandEnv } from './expand.js';
import { runExternal } from './external.js';
import type { SpawnFn } from './external.js';
import { expandGlob, readDirOf } from './glob.js';
import type { ReadDir } from './glob.js';
import { Job, JobTable } from './job.js';
import { defaultPath, findProgram } from './lookup.js';
import { applyRedirect, closeOpened, RedirectError, writeToTarget } from './redirect.js';
import type { FdTable, Target } from './redirect.js';
import { signalNumber } from './signals.js';
import { emptyInput, pipe } from './streams.js';

export type { SpawnFn } from './external.js';

export interface TerminalCommand {
  path: string;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

export interface InterpreterOptions {
  builtins: Map<string, Builtin>;
  services: SessionServices;
  /** Initial exported variables. */
  env: Record<string, string>;
  cwd: string;
  home: string;
  /** The session's output streams (with a pty already translating \n to \r\n). */
  stdout: Writable;
  stderr: Writable;
  /** True when stdout is a terminal (a pty was requested). */
  isTTY?: boolean;
  terminal?: () => TerminalSize;
  /** Interactive shells announce background jobs (`[1] 1234`). */
  interactive?: boolean;
  spawn?: SpawnFn;
  /**
   * The file system for everything the shell touches: PATH lookup, redirects, globbing,
   * `cd`, `~user`, and every built-in (ctx.fs). Default: node:fs/promises.
   */
  fs?: FileSystem;
  /** Opens stdin for a foreground pipeline (the channel or the line discipline). */
  openInput?: () => Readable;
  /** Called with the job that now owns the terminal, or undefined when the prompt is back. */
  onForeground?: (job: Job | undefined) => void;
  /** `history` built-in support. */
  history?: { list(): readonly string[]; clear(): void };
  /**
   * Runs a foreground external whose stdin, stdout and stderr are all the terminal on a
   * real pseudo-terminal (session.ts with a pty); resolves undefined when it cannot, and
   * the program then gets pipes as without a pty.
   */
  runOnTerminal?: (cmd: TerminalCommand, job: Job) => Promise<ExitResult | undefined>;
  /** Delay between SIGTERM/SIGHUP and SIGKILL. */
  killGraceMs?: number;
}

interface Var {
  value: string;
  exported: boolean;
}

/** A command after expansion. */
interface Prepared {
  argv: string[];
  env: Record<string, string>;
  fds: FdTable;
  opened: OpenFile[];
}

const SHELL_NAME = 'sh';
/** After the SIGKILL, how long close() still waits for the processes to be reaped. */
const KILLED_WAIT_MS = 1000;

export class Interpreter {
  readonly vars = new Map<string, Var>();
  cwd: string;
  lastStatus = 0;
  lastSignal: string | undefined;
  lastBackgroundPid: number | undefined;
  readonly jobs = new JobTable();
  /** Set by `exit`: stop running further commands. */
  exitCode: number | undefined;
  private userPath = false;
  /** Interactive shells announce background jobs (`[1] 1234`) and set `$-` to `i`. */
  interactive: boolean;
  private readonly spawnFn: SpawnFn;
  readonly fs: FileSystem;
  private readonly readDir: ReadDir;
  private readonly all = new Set<Job>();
  /** Background jobs whose first pipeline is still being expanded and looked up (for `$!`). */
  private readonly launchWaiters = new Map<Job, () => void>();

  constructor(private readonly opts: InterpreterOptions) {
    this.cwd = opts.cwd;
    this.interactive = Boolean(opts.interactive);
    this.spawnFn = opts.spawn ?? nodeSpawn;
    this.fs = opts.fs ?? nodeFileSystem;
    this.readDir = readDirOf(this.fs);
    for (const [k, v] of Object.entries(opts.env)) {
      if (k === 'PATH') continue;
      this.vars.set(k, { value: v, exported: true });
    }
    this.vars.set('HOME', { value: opts.home, exported: true });
    this.vars.set('PWD', { value: this.cwd, exported: true });
  }

  // ---- variables -------------------------------------------------------------------

  getVar(name: string): string | undefined {
    if (name === 'PATH' && !this.userPath) return defaultPath(this.opts.services.toolbox?.pathDirs() ?? []);
    return this.vars.get(name)?.value;
  }

  setVar(name: string, value: string, exported?: boolean): void {
    if (name === 'PATH') this.userPath = true;
    const old = this.vars.get(name);
    this.vars.set(name, { value, exported: exported ?? old?.exported ?? false });
  }

  unsetVar(name: string): void {
    if (name === 'PATH') this.userPath = false;
    this.vars.delete(name);
  }

  environ(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of this.vars) if (v.exported) env[k] = v.value;
    // The computed PATH follows the toolbox; a user-set PATH is exported like any variable.
    if (!this.userPath) env['PATH'] = this.getVar('PATH')!;
    return env;
  }

  async chdir(dir: string): Promise<void> {
    const target = await this.checkDirectory(dir);
    this.setVar('OLDPWD', this.cwd, true);
    this.cwd = target;
    this.setVar('PWD', target, true);
  }

  /** DIR resolved, once it is known to be a directory; else rejects as `cd` reports it. */
  private async checkDirectory(dir: string): Promise<string> {
    const target = resolvePath(this.cwd, dir);
    let st;
    try {
      st = await this.fs.stat(target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(`can't cd to ${dir}: ${code === 'ENOENT' ? 'No such file or directory' : code === 'EACCES' ? 'Permission denied' : String(code)}`);
    }
    if (!st.isDirectory()) throw new Error(`can't cd to ${dir}: Not a directory`);
    return target;
  }

  private param(name: string): string | undefined {
    switch (name) {
      case '?':
        return String(this.lastStatus);
      case '$':
        return String(process.pid);
      case '!':
        return this.lastBackgroundPid === undefined ? '' : String(this.lastBackgroundPid);
      case '#':
        return '0';
      case '0':
        return SHELL_NAME;
      case '-':
        return this.interactive ? 'i' : '';
      case '@':
      case '*':
        return '';
    }
    if (/^\d+$/.test(name)) return '';
    return this.getVar(name);
  }

  private expandEnv(): ExpandEnv {
    return {
      param: (name) => this.param(name),
      home: async (user) => (user === '' ? this.getVar('HOME') : homeOf(this.fs, user)),
      glob: (pattern) => expandGlob(pattern, this.cwd, this.readDir),
    };
  }

  // ---- running -----------------------------------------------------------------------

  /** Parses and runs one line; a parse error prints `sh: L:C: …` and sets status 2. */
  async runLine(line: string): Promise<ExitResult> {
    let script: Script;
    try {
      script = parse(line);
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      await this.writeErr(`${SHELL_NAME}: ${err.describe()}\n`);
      this.lastStatus = 2;
      this.lastSignal = undefined;
      return { code: 2 };
    }
    return this.runScript(script);
  }

  async runScript(script: Script): Promise<ExitResult> {
    for (const item of script.items) {
      if (this.exitCode !== undefined) break;
      await this.runItem(item);
    }
    return this.result();
  }

  result(): ExitResult {
    const code = this.exitCode ?? this.lastStatus;
    return this.lastSignal && this.exitCode === undefined ? { code, signal: this.lastSignal } : { code };
  }

  private async runItem(item: ListItem): Promise<void> {
    if (!item.background) {
      await this.runAndOr(item.andOr, undefined, item.text);
      return;
    }
    const job = this.jobs.create(item.text, true);
    this.all.add(job);
    const launched = new Promise<void>((r) => this.launchWaiters.set(job, r));
    const running = this.runAndOr(item.andOr, job, item.text).then(
      (result) => job.finish(result),
      (err: unknown) => {
        job.finish({ code: 1 });
        void this.writeErr(`${SHELL_NAME}: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      },
    );
    // Expansion and PATH lookup wait on the file system: the PIDs for `[1] PID` and `$!`
    // exist once every command of the first pipeline was started (or the job ended).
    await Promise.race([launched, running]);
    this.launchWaiters.delete(job);
    await new Promise((r) => setImmediate(r));
    this.lastBackgroundPid = job.pids.at(-1);
    // A job of built-ins only has no process of its own (no fork here): say how to reach it.
    if (this.interactive) await this.writeErr(`[${job.id}] ${job.pids.at(-1) ?? `(built-in, no PID: use %${job.id})`}\n`);
    this.lastStatus = 0;
  }

  /** Runs `a && b || c`. In the background, `job` collects every process. */
  private async runAndOr(andOr: AndOr, bgJob: Job | undefined, text: string): Promise<ExitResult> {
    const single = andOr.rest.length === 0;
    let status = await this.runPipeline(andOr.first, bgJob, single ? text : undefined);
    for (const { op, pipeline } of andOr.rest) {
      if (this.exitCode !== undefined) break;
      if ((op === '&&') !== (status.code === 0)) continue;
      status = await this.runPipeline(pipeline, bgJob, undefined);
    }
    return status;
  }

  private async runPipeline(pipeline: Pipeline, bgJob: Job | undefined, text: string | undefined): Promise<ExitResult> {
    let result: ExitResult;
    if (bgJob) {
      result = await this.startPipeline(pipeline, bgJob, emptyInput());
    } else {
      const job = this.jobs.create(text ?? pipelineText(pipeline), false);
      this.all.add(job);
      const input = this.opts.openInput?.() ?? emptyInput();
      job.input = input;
      this.opts.onForeground?.(job);
      const running = this.startPipeline(pipeline, job, input).then(
        (r) => {
          job.finish(r);
          return r;
        },
        async (err: unknown) => {
          // A bug must not leave the shell waiting for a job that will never end.
          await this.writeErr(`${SHELL_NAME}: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
          const r = { code: 1 };
          job.finish(r);
          return r;
        },
      );
      result = await this.waitForeground(job, running);
    }
    if (pipeline.negated) result = { code: result.code === 0 ? 1 : 0 };
    if (!bgJob) {
      this.lastStatus = result.code;
      this.lastSignal = result.signal;
    }
    return result;
  }

  /** Waits for a foreground job; on ^Z it stays in the table and the prompt comes back. */
  private async waitForeground(job: Job, running: Promise<ExitResult>): Promise<ExitResult> {
    const outcome = await job.waitForeground();
    this.opts.onForeground?.(undefined);
    if (outcome === 'stopped') {
      job.background = true;
      void running.catch(() => undefined);
      await this.writeErr(`\n[${job.id}]+  Stopped                 ${job.text}\n`);
      return { code: 128 + (signalNumber('TSTP') ?? 20) };
    }
    this.jobs.remove(job);
    this.all.delete(job);
    return outcome;
  }

  /** `fg`: continue the job and make it the foreground again. */
  async foreground(job: Job): Promise<ExitResult> {
    job.background = false;
    this.opts.onForeground?.(job);
    job.cont();
    const outcome = await job.waitForeground();
    this.opts.onForeground?.(undefined);
    if (outcome === 'stopped') {
      job.background = true;
      await this.writeErr(`\n[${job.id}]+  Stopped                 ${job.text}\n`);
      return { code: 148 };
    }
    this.jobs.remove(job);
    this.all.delete(job);
    return outcome;
  }

  /** Starts every command of a pipeline, connected by in-process pipes; resolves with the last one's status. */
  private async startPipeline(pipeline: Pipeline, job: Job, input: Readable): Promise<ExitResult> {
    const n = pipeline.commands.length;
    const pipes = Array.from({ length: n - 1 }, () => pipe());
    const runs: Array<Promise<ExitResult>> = [];
    let unlaunched = n;
    const launcher = (): (() => void) => {
      let called = false;
      return () => {
        if (called) return;
        called = true;
        if (--unlaunched === 0) this.launchWaiters.get(job)?.();
      };
    };
    for (let i = 0; i < n; i++) {
      const stdin: Readable = i === 0 ? input : pipes[i - 1]!;
      const stdout: Writable = i === n - 1 ? this.opts.stdout : pipes[i]!;
      const fds: FdTable = new Map<number, Target>([
        [0, { kind: 'stream', stream: stdin }],
        [1, { kind: 'stream', stream: stdout }],
        [2, { kind: 'stream', stream: this.opts.stderr }],
      ]);
      // In a pipeline each command is a subshell in sh: `cd /x | cat` leaves the shell where it was.
      const run = this.runSimple(pipeline.commands[i]!, fds, job, n > 1, launcher()).finally(() => {
        // The reader is done: drop its input so the writer sees EPIPE; end its output
        // so the next command sees end of file.
        stdin.destroy();
        if (i < n - 1) pipes[i]!.end();
      });
      runs.push(run);
    }
    const results = await Promise.all(runs);
    return results.at(-1)!;
  }

  /**
   * Expands and runs one simple command with the given base descriptors; `started` is
   * called once it runs (or failed to start).
   */
  private async runSimple(cmd: SimpleCommand, fds: FdTable, job: Job, subshell: boolean, started: () => void): Promise<ExitResult> {
    let prepared: Prepared;
    try {
      prepared = await this.prepare(cmd, fds);
    } catch (err) {
      started();
      if (err instanceof RedirectError) {
        await this.writeErr(`${SHELL_NAME}: ${err.message}\n`);
        return { code: 1 };
      }
      throw err;
    }
    const { argv, opened } = prepared;
    try {
      if (argv.length === 0) {
        started();
        // Assignments only (`X=1`), possibly with redirects that just create files.
        if (!subshell) for (const a of cmd.assigns) this.setVar(a.name, prepared.env[a.name]!);
        return { code: 0 };
      }
      return await this.runArgv(argv, prepared.fds, job, prepared.env, false, subshell, started);
    } finally {
      started();
      await closeOpened(opened);
    }
  }

  private async prepare(cmd: SimpleCommand, base: FdTable): Promise<Prepared> {
    const env = this.expandEnv();
    const argv: string[] = [];
    for (const w of cmd.args) argv.push(...(await expandWord(w, env)));
    const assigns: Record<string, string> = {};
    for (const a of cmd.assigns) assigns[a.name] = await expandString(a.value, env);
    const fds: FdTable = new Map(base);
    const opened: OpenFile[] = [];
    try {
      for (const r of cmd.redirects) {
        const targets = await expandWord(r.target, env);
        if (targets.length !== 1) throw new RedirectError(`${await expandString(r.target, env)}: ambiguous redirect`);
        await applyRedirect(fds, r.fd, r.op, targets[0]!, { cwd: this.cwd, fs: this.fs, opened });
      }
    } catch (err) {
      await closeOpened(opened);
      throw err;
    }
    return { argv, env: assigns, fds, opened };
  }

  /** Runs argv as a built-in or an external program; `env` adds to (or with clearEnv, replaces) the environment. */
  private async runArgv(argv: string[], fds: FdTable, job: Job, env: Record<string, string>, clearEnv = false, subshell = false, started?: () => void): Promise<ExitResult> {
    const name = argv[0]!;
    const builtin = this.opts.builtins.get(name);
    if (builtin) {
      started?.();
      return { code: await this.runBuiltin(builtin, argv, fds, job, env, clearEnv, subshell) };
    }
    // `PATH=/x cmd` looks cmd up in /x, as in sh.
    const found = await findProgram(this.fs, name, env['PATH'] ?? this.getVar('PATH')!, this.cwd);
    // Started from here on: runExternal registers the PID as it spawns.
    started?.();
    if (found.kind === 'error') {
      await this.writeTo(fds.get(2), `${SHELL_NAME}: ${found.message}\n`);
      return { code: found.code };
    }
    const childEnv = clearEnv ? { ...env } : { ...this.environ(), ...env };
    if (this.opts.runOnTerminal && this.isTerminal(fds, job)) {
      const onTerminal = await this.opts.runOnTerminal({ path: found.path, argv, cwd: this.cwd, env: childEnv }, job);
      if (onTerminal) return onTerminal;
    }
    return runExternal(this.spawnFn, { path: found.path, argv, cwd: this.cwd, env: childEnv, fds }, job);
  }

  /** A foreground command with no redirect and no pipe: all three descriptors are the terminal. */
  private isTerminal(fds: FdTable, job: Job): boolean {
    const stream = (fd: number): unknown => {
      const t = fds.get(fd);
      return t?.kind === 'stream' ? t.stream : undefined;
    };
    return !job.background && job.input !== undefined && stream(0) === job.input && stream(1) === this.opts.stdout && stream(2) === this.opts.stderr;
  }

  private writeTo(target: Target | undefined, text: string): Promise<void> {
    return writeToTarget(target, text);
  }

  private writeErr(text: string): Promise<void> {
    return this.writeTo({ kind: 'stream', stream: this.opts.stderr }, text);
  }

  private runBuiltin(builtin: Builtin, argv: string[], fds: FdTable, job: Job, env: Record<string, string>, clearEnv: boolean, subshell: boolean): Promise<number> {
    return runBuiltin({
      builtin,
      argv,
      fds,
      job,
      sessionOut: this.opts.stdout,
      sessionErr: this.opts.stderr,
      context: {
        cwd: this.cwd,
        sessionIsTTY: Boolean(this.opts.isTTY),
        terminal: this.opts.terminal?.() ?? { cols: 80, rows: 24 },
        resolve: (p) => this.resolvePath(p),
        shell: this.handle(job, env, clearEnv, subshell),
        services: this.opts.services,
        fs: this.fs,
      },
    });
  }

  resolvePath(p: string): string {
    if (p === '~' || p.startsWith('~/')) p = (this.getVar('HOME') ?? '/') + p.slice(1);
    return isAbsolute(p) ? resolvePath(p) : resolvePath(this.cwd, p);
  }

  /**
   * The ShellHandle a built-in sees; `overlay` holds `VAR=x builtin` for its duration. In a
   * subshell (a pipeline) changes to variables, the directory and `exit` stay local.
   */
  private handle(job: Job, overlay: Record<string, string>, clearEnv: boolean, subshell = false): ShellHandle {
    return {
      getVar: (name) => overlay[name] ?? (clearEnv ? undefined : this.getVar(name)),
      setVar: (name, value, exported) => {
        if (subshell) overlay[name] = value;
        else this.setVar(name, value, exported);
      },
      unsetVar: (name) => {
        if (!subshell) this.unsetVar(name);
      },
      environ: () => (clearEnv ? { ...overlay } : { ...this.environ(), ...overlay }),
      chdir: async (dir) => {
        if (!subshell) return this.chdir(dir);
        // Checked as cd would, but the shell stays where it is.
        await this.checkDirectory(dir);
      },
      lookupCommand: async (name) => {
        if (this.opts.builtins.has(name)) return { kind: 'builtin', name };
        const found = await findProgram(this.fs, name, overlay['PATH'] ?? this.getVar('PATH')!, this.cwd);
        return found.kind === 'found' ? { kind: 'external', path: found.path } : undefined;
      },
      builtinNames: () => [...this.opts.builtins.keys()].sort(),
      exit: (code) => {
        if (!subshell) this.exitCode = code & 0xff;
      },
      lastStatus: () => this.lastStatus,
      jobList: () => this.jobList(),
      findJob: (spec) => this.jobs.find(spec)?.id,
      foreground: (id) => {
        const j = this.jobs.get(id);
        return j ? this.foreground(j) : Promise.resolve({ code: 1 });
      },
      background: (id) => {
        const j = this.jobs.get(id);
        if (j) {
          j.background = true;
          j.cont();
        }
      },
      waitJob: (id, signal) => this.waitJob(id, signal),
      signalJob: (id, sig) => {
        const j = this.jobs.get(id);
        if (!j) return;
        const name = (sig.startsWith('SIG') ? sig : `SIG${sig}`) as NodeJS.Signals;
        if (name === 'SIGCONT' && j.state === 'stopped') j.state = 'running';
        j.kill(name);
      },
      history: () => this.opts.history?.list() ?? [],
      clearHistory: () => this.opts.history?.clear(),
      exec: (argv, io) => this.exec(argv, io, job),
    };
  }

  private async exec(argv: string[], io: ExecIO, job: Job): Promise<ExitResult> {
    if (argv.length === 0) return { code: 0 };
    const fds: FdTable = new Map<number, Target>([
      [0, { kind: 'stream', stream: io.stdin }],
      [1, { kind: 'stream', stream: io.stdout }],
      [2, { kind: 'stream', stream: io.stderr }],
    ]);
    return this.runArgv(argv, fds, job, io.env ?? {}, io.clearEnv);
  }

  private async waitJob(id: number, signal: AbortSignal): Promise<ExitResult> {
    const job = this.jobs.get(id);
    if (!job) return { code: 127 };
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(new Error('interrupted'));
      signal.addEventListener('abort', () => reject(new Error('interrupted')), { once: true });
    });
    const result = await Promise.race([job.done(), aborted]);
    job.reported = true;
    this.jobs.remove(job);
    this.all.delete(job);
    return result;
  }

  jobList(): JobSummary[] {
    const cur = this.jobs.current();
    const prev = this.jobs.previous();
    const list = this.jobs.list().map((j) => {
      const summary: JobSummary = {
        id: j.id,
        pids: [...j.pids],
        command: j.text,
        state: j.state === 'done' ? 'Done' : j.state === 'stopped' ? 'Stopped' : 'Running',
        mark: j === cur ? '+' : j === prev ? '-' : ' ',
      };
      if (j.status) summary.status = j.status;
      return summary;
    });
    // Listing a finished job reports it: forget it, as sh does.
    for (const j of this.jobs.list()) {
      if (j.state === 'done' && j.background) {
        this.jobs.remove(j);
        this.all.delete(j);
      }
    }
    return list;
  }

  /** Background jobs that ended since the last call (and forgets them), for the prompt's notices. */
  takeFinished(): Job[] {
    const done = this.jobs.list().filter((j) => j.state === 'done' && j.background);
    for (const j of done) {
      this.jobs.remove(j);
      this.all.delete(j);
    }
    return done;
  }

  /** Ends every job: SIGHUP (and SIGCONT so stopped ones see it), SIGKILL after grace. */
  async close(graceMs = this.opts.killGraceMs ?? 2000): Promise<void> {
    const jobs = [...this.all];
    const allDone = Promise.all(jobs.map((j) => waitLive(j)));
    const sendAll = (signal: NodeJS.Signals): void => {
      for (const j of jobs) j.kill(signal);
    };
    const ending = signalThenKill(sendAll, ['SIGHUP', 'SIGCONT'], allDone, graceMs);
    // A built-in blocked reading stdin ends too: nobody will type any more.
    for (const j of jobs) j.input?.destroy();
    if ((await ending) === 'killed') await Promise.race([allDone, delay(KILLED_WAIT_MS, undefined, { ref: false })]);
  }
}

/** Resolves once the job has no live process (polling: children may still be spawning). */
function waitLive(job: Job): Promise<void> {
  return new Promise((resolve) => {
    const tick = (): void => {
      if (job.live === 0) resolve();
      else setTimeout(tick, 20);
    };
    tick();
  });
}

function pipelineText(p: Pipeline): string {
  return p.commands.map((c) => [...c.assigns.map((a) => a.name + '=…'), ...c.args.map(wordText)].join(' ')).join(' | ');
}

function wordText(w: { parts: Array<{ type: string; value?: string; name?: string; user?: string }> }): string {
  return w.parts.map((p) => (p.type === 'lit' ? p.value : p.type === 'param' ? `$${p.name}` : `~${p.user}`)).join('');
}

/** `~user` from /etc/passwd; undefined when unknown. */
async function homeOf(fs: FileSystem, user: string): Promise<string | undefined> {
  const text = await fs.readFile('/etc/passwd', 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f[0] === user) return f[5];
  }
  return undefined;
}
