// The seams of the shell: what breakglassd hands a session (ShellSessionOptions), and
// what a built-in receives (BuiltinContext). Everything that touches the OS is injected
// here so the interpreter and built-ins can be tested without SSH.
import type { Readable, Writable } from 'node:stream';
import type { FileSystem } from './files/index.js';

/** How a command or session ended, as `exit-status` / `exit-signal` report it. */
export interface ExitResult {
  /** sh convention: 0–255; 128+N when killed by signal N. */
  code: number;
  /** Set when the foreground job died of a signal (`TERM`, `KILL` without `SIG`). */
  signal?: string;
}

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** What the toolbox offers the shell (implemented in src/transfer). */
export interface ToolboxHandle {
  /** Directories put first on PATH, in order (the toolbox dir and its bin/ if present). */
  pathDirs(): string[];
  /** Streams a tar / tar.gz into the toolbox; resolves with a one-paragraph manifest. */
  add(input: Readable, label: string): Promise<{ files: number; bytes: number; sha256: string }>;
  list(): Promise<Array<{ path: string; size: number; mode: number }>>;
  clear(): Promise<void>;
  readonly dir: string;
}

/** Per-session services the server provides; built-ins reach them through the context. */
export interface SessionServices {
  hostname: string;
  toolbox?: ToolboxHandle;
  /** breakglass-init's Unix socket, for `svc` and `logs` (absent when unknown). */
  initSocket?: string;
  /** The server's interactive sessions, for `sessions` (absent: none are kept). */
  sessions?: () => SessionListing[];
  /** Audit logger: one event per call (e.g. `exec`, `upload`). */
  audit?: (event: string, fields: Record<string, unknown>) => void;
  /** Roots of the pseudo file systems, injectable for tests. */
  procRoot: string;
  sysRoot: string;
  devRoot: string;
}

/** One interactive session as `sessions` lists it. */
export interface SessionListing {
  id: string;
  /** Fingerprint and comment of the key that opened it. */
  key: string;
  comment: string;
  /** ms since the epoch. */
  started: number;
  state: 'attached' | 'detached';
  /** ms since the last input or output. */
  idleMs: number;
  command: string;
  /** The session this listing is shown in. */
  current: boolean;
  /** Opened with the viewer's key: the viewer may attach to it. */
  yours: boolean;
}

/** What breakglassd passes when it starts a shell for one SSH session channel. */
export interface ShellSessionOptions {
  /** Bytes from the client (the channel). */
  stdin: Readable;
  /** To the client. With a pty the shell translates \n to \r\n itself. */
  stdout: Writable;
  /** With a pty, the same as stdout. */
  stderr: Writable;
  env: Record<string, string>;
  cwd: string;
  home: string;
  /** Present when the client asked for a pty (`pty-req`). */
  pty?: TerminalSize & { term: string };
  /** Lines of history the screen model keeps (with a pty); default 200. */
  scrollback?: number;
  /** Printed before the first prompt of an interactive shell (the banner). */
  greeting?: string;
  services: SessionServices;
  /** The file system the shell works on (default: node:fs/promises; tests inject others). */
  fs?: FileSystem;
}

/** A shell bound to one SSH session; created by createShellSession in src/shell. */
export interface ShellSession {
  /** `exec`: runs one command line (no prompt) and resolves with its status. */
  runCommand(line: string): Promise<ExitResult>;
  /** `shell`: the interactive loop until `exit` or EOF. */
  runInteractive(): Promise<ExitResult>;
  /** `window-change` */
  resize(size: TerminalSize): void;
  /** `signal` request: delivered to the foreground job's process group. */
  signal(name: string): void;
  /**
   * With a pty: the screen as bytes that redraw it on a fresh terminal, once every
   * earlier resize is done (reattaching a detached session); '' without a pty.
   */
  snapshotScreen(): Promise<string>;
  /** The foreground job's command line, or undefined at the prompt. */
  foregroundCommand(): string | undefined;
  /** Connection gone: SIGHUP every job's process group, SIGKILL after `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

/**
 * The shell state a built-in may read or change (cd, export, jobs …). Implemented by
 * the interpreter.
 */
export interface ShellHandle {
  getVar(name: string): string | undefined;
  setVar(name: string, value: string, exported?: boolean): void;
  unsetVar(name: string): void;
  /** Exported variables, as a child process would see them. */
  environ(): Record<string, string>;
  /** Rejects with `can't cd to DIR: reason` when DIR is not a directory one may enter. */
  chdir(dir: string): Promise<void>;
  /** `builtin`, `external` with the resolved path, or undefined when not found. */
  lookupCommand(name: string): Promise<{ kind: 'builtin'; name: string } | { kind: 'external'; path: string } | undefined>;
  builtinNames(): string[];
  // Job control, history and command execution for the core built-ins (exit, jobs, fg,
  // bg, wait, kill %N, history, time, env CMD). Optional so test doubles stay small;
  // the interpreter always provides them.
  /** `exit N`: the shell ends after the current command with this status. */
  exit?(code: number): void;
  /** `$?` */
  lastStatus?(): number;
  jobList?(): JobSummary[];
  /** `%1`, `%+`, `%-`, `%name`, or a PID belonging to a job → its id. */
  findJob?(spec: string): number | undefined;
  /** `fg`: continue the job in the foreground and wait for it (or for ^Z). */
  foreground?(id: number): Promise<ExitResult>;
  /** `bg`: continue a stopped job in the background. */
  background?(id: number): void;
  /** `wait`: resolves with the job's status; rejects when `signal` aborts (^C). */
  waitJob?(id: number, signal: AbortSignal): Promise<ExitResult>;
  /** Sends a signal (`TERM`, `KILL` …) to every process group of the job. */
  signalJob?(id: number, signal: string): void;
  history?(): readonly string[];
  clearHistory?(): void;
  /** Runs argv as a command (built-in or external) with these streams — `time CMD`, `env X=1 CMD`. */
  exec?(argv: string[], io: ExecIO): Promise<ExitResult>;
}

export interface JobSummary {
  id: number;
  pids: number[];
  command: string;
  state: 'Running' | 'Stopped' | 'Done';
  status?: ExitResult;
  /** `+` current job, `-` previous, else ' '. */
  mark: '+' | '-' | ' ';
}

export interface ExecIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  signal: AbortSignal;
  /** Extra variables for this command only. */
  env?: Record<string, string>;
  /** Start with an empty environment (`env -i`). */
  clearEnv?: boolean;
}

/** What one built-in invocation gets. */
export interface BuiltinContext {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Absolute current directory. */
  cwd: string;
  /** True when stdout is the session's terminal (colours, column layout, `top`). */
  isTTY: boolean;
  terminal: TerminalSize;
  /** Aborted on ^C / session close: long-running built-ins stop and return 130. */
  signal: AbortSignal;
  /** Resolves a path argument against cwd (and `~`). */
  resolve(path: string): string;
  shell: ShellHandle;
  services: SessionServices;
  /** The session's file system: every path operand is read and changed through it. */
  fs: FileSystem;
}

export interface Builtin {
  name: string;
  /** Other names that run the same code (`xxd` for hexdump, `type` for which). */
  aliases?: string[];
  /** One line for `help`. */
  summary: string;
  /** Full usage for `NAME --help`. */
  usage: string;
  /** Built-ins like `top` read keys one at a time instead of a cooked line. */
  rawInput?: boolean;
  run(args: string[], ctx: BuiltinContext): Promise<number>;
}
