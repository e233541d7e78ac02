// Running an external program: its own process group (detached), stdio from the
// descriptor table (files passed as descriptors, streams relayed with backpressure),
// and the sh exit status (128+N when a signal killed it).
import type { ChildProcess, SpawnOptions, StdioOptions } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { openFileReadable, openFileWritable } from '../files/index.js';
import type { ExitResult } from '../types.js';
import type { Job } from './job.js';
import { writeToTarget } from './redirect.js';
import type { FdTable } from './redirect.js';
import { statusOfSignal } from './signals.js';
import { discardAndSigpipe, relay } from './streams.js';

export type SpawnFn = (file: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export interface ExternalCommand {
  path: string;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  fds: FdTable;
}

const SHELL_NAME = 'sh';

function stdioOf(fds: FdTable): StdioOptions {
  const maxFd = Math.max(2, ...fds.keys());
  const stdio: StdioOptions = [];
  for (let fd = 0; fd <= maxFd; fd++) {
    const t = fds.get(fd);
    if (!t || t.kind === 'null') stdio.push('ignore');
    else if (t.kind === 'file' && t.file.fd !== undefined) stdio.push(t.file.fd);
    else stdio.push('pipe');
  }
  return stdio;
}

function spawnFailure(err: NodeJS.ErrnoException): { code: number; reason: string } {
  if (err.code === 'EACCES') return { code: 126, reason: 'Permission denied' };
  if (err.code === 'ENOENT') return { code: 127, reason: 'not found (or its #! interpreter is missing)' };
  return { code: 126, reason: err.message };
}

/**
 * A file without a kernel descriptor (a test's in-memory tree) cannot be a child's stdio:
 * it is relayed through a pipe like a stream instead.
 */
function relayedFiles(fds: FdTable): FdTable {
  const out: FdTable = new Map(fds);
  for (const [fd, t] of fds) {
    if (t.kind === 'file' && t.file.fd === undefined) out.set(fd, { kind: 'stream', stream: fd === 0 ? openFileReadable(t.file) : openFileWritable(t.file) });
  }
  return out;
}

/** Spawns the program into the job and resolves with its status once its output is relayed. */
export function runExternal(spawnFn: SpawnFn, cmd: ExternalCommand, job: Job): Promise<ExitResult> {
  const fds = relayedFiles(cmd.fds);
  const { argv } = cmd;
  const stderr = fds.get(2);
  return new Promise<ExitResult>((resolve) => {
    let child: ChildProcess;
    try {
      child = spawnFn(cmd.path, argv.slice(1), { argv0: argv[0], cwd: cmd.cwd, env: cmd.env, stdio: stdioOf(fds), detached: true });
    } catch (err) {
      const { code, reason } = spawnFailure(err as NodeJS.ErrnoException);
      void writeToTarget(stderr, `${SHELL_NAME}: ${argv[0]}: ${reason}\n`)
        .catch(() => undefined)
        .then(() => resolve({ code }));
      return;
    }
    job.add(child);
    const relays: Array<Promise<void>> = [];
    const stdin = fds.get(0);
    if (stdin?.kind === 'stream' && child.stdin) {
      child.stdin.on('error', () => undefined);
      void relay(stdin.stream as Readable, child.stdin, { end: true });
    }
    for (const fd of [1, 2] as const) {
      const t = fds.get(fd);
      const src = fd === 1 ? child.stdout : child.stderr;
      if (t?.kind === 'stream' && src) {
        relays.push(relay(src, t.stream as Writable, { end: false, onReaderGone: () => discardAndSigpipe(src, child.pid) }));
      }
    }
    let spawnError: NodeJS.ErrnoException | undefined;
    child.once('error', (err: NodeJS.ErrnoException) => {
      spawnError = err;
    });
    child.once('close', (code, signal) => {
      void Promise.all(relays).then(async () => {
        if (spawnError && child.pid === undefined) {
          const failure = spawnFailure(spawnError);
          await writeToTarget(stderr, `${SHELL_NAME}: ${argv[0]}: ${failure.reason}\n`);
          resolve({ code: failure.code });
          return;
        }
        resolve(signal ? statusOfSignal(signal) : { code: code ?? 0 });
      }).catch(() => resolve({ code: code ?? 1 }));
    });
  });
}
