// Running a built-in: its streams from the descriptor table, `--help` answered here for
// every built-in, and errors mapped to sh conventions (BrokenPipe → 141, a bad option
// → `NAME: message`, usage and 2, anything else → `NAME: message` and 1).
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import { BrokenPipe } from '../../os/index.js';
import { openFileReadable, openFileWritable } from '../files/index.js';
import { OptionError } from '../options.js';
import type { Builtin, BuiltinContext } from '../types.js';
import type { Job } from './job.js';
import { signalNumber } from './signals.js';
import type { FdTable, Target } from './redirect.js';
import { emptyInput, nonClosing } from './streams.js';

export interface BuiltinRun {
  builtin: Builtin;
  argv: string[];
  fds: FdTable;
  job: Job;
  /** The session's own output streams: never ended by a built-in. */
  sessionOut: Writable;
  sessionErr: Writable;
  /** Everything else of the context (cwd, shell handle, services, terminal). */
  context: Omit<BuiltinContext, 'stdin' | 'stdout' | 'stderr' | 'isTTY' | 'signal'> & { sessionIsTTY: boolean };
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

function writeText(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.destroyed) return reject(new BrokenPipe('write after close'));
    stream.write(text, (err) => (err ? reject(new BrokenPipe(err.message)) : resolve()));
  });
}

async function reportError(name: string, builtin: Builtin, err: unknown, stderr: Writable): Promise<number> {
  if (err instanceof BrokenPipe || (err as NodeJS.ErrnoException)?.code === 'EPIPE') return 141;
  if (err instanceof OptionError) {
    await writeText(stderr, `${name}: ${err.message}\n${withNewline(builtin.usage)}`).catch(() => undefined);
    return 2;
  }
  await writeText(stderr, `${name}: ${err instanceof Error ? err.message : String(err)}\n`).catch(() => undefined);
  return 1;
}

export async function runBuiltin(run: BuiltinRun): Promise<number> {
  const { builtin, argv, fds, job } = run;
  const owned: Writable[] = [];
  const input = (t: Target | undefined): Readable => {
    if (!t || t.kind === 'null') return emptyInput();
    if (t.kind === 'file') return openFileReadable(t.file);
    return t.stream as Readable;
  };
  const output = (t: Target | undefined): Writable => {
    if (!t || t.kind === 'null') {
      const devnull = createWriteStream('/dev/null');
      owned.push(devnull);
      return devnull;
    }
    if (t.kind === 'file') {
      const s = openFileWritable(t.file);
      owned.push(s);
      return s;
    }
    const w = t.stream as Writable;
    return w === run.sessionOut || w === run.sessionErr ? nonClosing(w) : w;
  };
  const stdout = output(fds.get(1));
  const stderr = fds.get(2) === fds.get(1) ? stdout : output(fds.get(2));
  const { sessionIsTTY, ...rest } = run.context;
  const ctx: BuiltinContext = {
    ...rest,
    stdin: input(fds.get(0)),
    stdout,
    stderr,
    isTTY: sessionIsTTY && (fds.get(1) as { stream?: unknown } | undefined)?.stream === run.sessionOut,
    signal: job.abort.signal,
  };
  if (builtin.rawInput && ctx.stdin === job.input) job.rawInput = true;
  const name = argv[0]!;
  let code: number;
  try {
    if (argv[1] === '--help') {
      await writeText(ctx.stdout, withNewline(builtin.usage));
      code = 0;
    } else {
      code = await builtin.run(argv.slice(1), ctx);
    }
  } catch (err) {
    code = await reportError(name, builtin, err, ctx.stderr);
  }
  // A signal ended the built-in: report it as sh reports a killed process (130 for ^C,
  // 143 for TERM), also when it returned as if nothing happened (it saw end of file).
  if (job.abortedBy && (code === 0 || code === 130)) code = 128 + (signalNumber(job.abortedBy) ?? 2);
  // Flush what the built-in wrote to files before the next command runs.
  for (const s of owned) s.end();
  await Promise.all(owned.map((s) => finished(s).catch(() => undefined)));
  return code & 0xff;
}
