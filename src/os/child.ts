// Child processes started without a shell (busybox --list; busybox-fetch's apt-get, xz,
// dpkg-deb): each in its own process group, SIGTERM then SIGKILL to the group on timeout
// or abort, always reaped.
import { spawnGroup } from './group.js';

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  /** True when the timeout or output limit ended it. */
  killed: boolean;
}

export interface RunOptions {
  timeoutMs?: number;
  /** Stop (and kill) once stdout exceeds this many bytes. */
  maxStdoutBytes?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  signal?: AbortSignal;
  /** Grace between SIGTERM and SIGKILL. */
  killGraceMs?: number;
  /** Bytes for its stdin (closed after); without it stdin is /dev/null. */
  input?: Buffer;
}

/** Runs `file args…` and collects its output. Rejects only when it cannot start. */
export function runCapture(file: string, args: string[], options: RunOptions = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const group = spawnGroup(file, args, {
      stdio: [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      cwd: options.cwd,
      killGraceMs: options.killGraceMs ?? 1000,
    });
    const child = group.child;
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let killed = false;
    const stop = (): void => {
      if (killed) return;
      killed = true;
      group.stop();
    };
    const timer = options.timeoutMs ? setTimeout(stop, options.timeoutMs) : undefined;
    const onAbort = (): void => stop();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.input) {
      child.stdin!.on('error', () => undefined); // EPIPE when it exits early
      child.stdin!.end(options.input);
    }
    child.stdout!.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (options.maxStdoutBytes !== undefined && outBytes > options.maxStdoutBytes) return stop();
      out.push(chunk);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      if (err.length < 64 * 1024) err += chunk.toString();
    });
    child.once('error', (e) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(e);
    });
    child.once('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: err, killed });
    });
  });
}
