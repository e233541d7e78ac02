// Spawning the system ssh/scp/ssh-keygen (never through a shell). Client-side ssh stays
// in our process group on purpose: it must own the terminal (password and security-key
// prompts, the interactive session); a detached ssh would get SIGTTIN on the tty.
import { spawn } from 'node:child_process';
import type { StdioOptions } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import { BreakglassError } from '../common/index.js';
import { errnoCode, signalThenKill } from '../os/index.js';

export interface ChildResult {
  /** sh convention: the exit status, or 128+N when killed by signal N. */
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  stdio?: StdioOptions;
  /** Piped into stdin (stdio[0] must be 'pipe'). */
  input?: Readable;
  /** Called with each stdout chunk when stdout is piped. */
  onStdout?: (chunk: Buffer) => void;
  /** Called with each stderr chunk when stderr is piped (instead of collecting it). */
  onStderr?: (chunk: Buffer) => void;
  /** Aborting sends SIGTERM, then SIGKILL after KILL_DELAY_MS if the child is still there. */
  signal?: AbortSignal;
  /** Signals passed on to the child while it runs (and not acted on by us). */
  forwardSignals?: NodeJS.Signals[];
  env?: NodeJS.ProcessEnv;
}

const KILL_DELAY_MS = 2000;

export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const number = signal ? constants.signals[signal] : undefined;
  return 128 + (number ?? 1);
}

export function runProgram(file: string, args: string[], options: RunOptions = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'], ...(options.env ? { env: options.env } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      if (options.onStdout) options.onStdout(chunk);
      else stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (options.onStderr) options.onStderr(chunk);
      else stderr += chunk.toString();
    });
    child.once('error', (err) => {
      const hint = errnoCode(err) === 'ENOENT' ? ` (is OpenSSH's ${file} installed and on PATH?)` : '';
      reject(new BreakglassError(`cannot run ${file}: ${err.message}${hint}`, { file }, { cause: err }));
    });
    if (options.input && child.stdin) {
      child.stdin.on('error', () => undefined); // the remote side may close early; ssh's status tells why
      options.input.on('error', (err) => child.stdin!.destroy(err));
      options.input.pipe(child.stdin);
    }
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    for (const signal of options.forwardSignals ?? []) process.on(signal, forward);
    const closed = new Promise<void>((done) => child.once('close', () => done()));
    // Not a group leader (see above): the signals go to the child alone, not to a group.
    const abort = (): void => {
      void signalThenKill((signal) => child.kill(signal), ['SIGTERM'], closed, KILL_DELAY_MS);
    };
    if (options.signal?.aborted) abort();
    else options.signal?.addEventListener('abort', abort, { once: true });
    child.once('close', (code, signal) => {
      for (const s of options.forwardSignals ?? []) process.off(s, forward);
      options.signal?.removeEventListener('abort', abort);
      resolve({ code: exitCodeOf(code, signal), stdout, stderr });
    });
  });
}
