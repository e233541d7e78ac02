// A BuiltinContext for unit tests: a temp cwd, stdin from a Buffer (or a stream), and
// stdout/stderr collected from PassThrough streams; runReal runs the coreutils program
// to compare with. (builtin-ctx.ts is the other one, with a fake terminal and services.)
import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { nodeFileSystem } from '../../src/shell/files/index.js';
import type { FileSystem } from '../../src/shell/files/index.js';
import type { Builtin, BuiltinContext, ShellHandle } from '../../src/shell/types.js';

export interface TestRun {
  code: number;
  stdout: Buffer;
  out: string;
  err: string;
}

export interface TestContextOptions {
  cwd: string;
  stdin?: string | Buffer | Readable;
  isTTY?: boolean;
  cols?: number;
  signal?: AbortSignal;
  /** Replaces stdout (a pipe, a stream that closes early); not collected. */
  stdout?: PassThrough;
  /** The file system the built-in sees (default: the real one). */
  fs?: FileSystem;
}

export interface TestContext {
  ctx: BuiltinContext;
  stdout(): Buffer;
  stderr(): string;
}

function shellStub(cwd: string): ShellHandle {
  const vars = new Map<string, string>();
  return {
    getVar: (name) => vars.get(name),
    setVar: (name, value) => void vars.set(name, value),
    unsetVar: (name) => void vars.delete(name),
    environ: () => Object.fromEntries(vars),
    chdir: async (dir) => void resolve(cwd, dir),
    lookupCommand: async () => undefined,
    builtinNames: () => [],
  };
}

export function makeTestContext(options: TestContextOptions): TestContext {
  const stdout = options.stdout ?? new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  // A caller-supplied stdout (a pipe to another built-in) is read by the caller.
  if (!options.stdout) stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const input = options.stdin ?? '';
  const stdin = input instanceof Readable ? input : Readable.from([Buffer.from(input)], { objectMode: false });
  const ctx: BuiltinContext = {
    stdin,
    stdout,
    stderr,
    cwd: options.cwd,
    isTTY: options.isTTY ?? false,
    terminal: { cols: options.cols ?? 80, rows: 24 },
    signal: options.signal ?? new AbortController().signal,
    resolve: (path) => {
      if (path === '~' || path.startsWith('~/')) return resolve(homedir(), path.slice(2));
      return isAbsolute(path) ? resolve(path) : resolve(options.cwd, path);
    },
    shell: shellStub(options.cwd),
    services: { hostname: 'test', procRoot: '/proc', sysRoot: '/sys', devRoot: '/dev' },
    fs: options.fs ?? nodeFileSystem,
  };
  return { ctx, stdout: () => Buffer.concat(out), stderr: () => Buffer.concat(err).toString() };
}

/** Runs a built-in with a fresh test context and collects what it wrote. */
export async function runBuiltin(builtin: Builtin, args: string[], options: TestContextOptions): Promise<TestRun> {
  const t = makeTestContext(options);
  const code = await builtin.run(args, t.ctx);
  // Let the PassThroughs deliver what was written before reading them.
  await new Promise((r) => setImmediate(r));
  const stdout = t.stdout();
  return { code, stdout, out: stdout.toString(), err: t.stderr() };
}

export interface RealRun {
  code: number;
  stdout: Buffer;
  out: string;
  err: string;
}

/** Runs the real tool on this machine (GNU coreutils, grep, findutils …) for comparison. */
export function runReal(file: string, args: string[], options: { cwd: string; input?: string | Buffer; locale?: string }): RealRun {
  const env = { ...process.env, LC_ALL: options.locale ?? 'C', TZ: process.env.TZ ?? 'UTC' };
  const r = spawnSync(file, args, { cwd: options.cwd, input: options.input ?? '', env });
  return { code: r.status ?? -1, stdout: r.stdout, out: r.stdout.toString(), err: r.stderr.toString() };
}
