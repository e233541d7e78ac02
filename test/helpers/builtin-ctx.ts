// A hand-made BuiltinContext for calling a built-in's run(args, ctx) directly, without
// the interpreter or SSH: stdout/stderr are PassThrough streams whose text is collected.
import { PassThrough } from 'node:stream';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { nodeFileSystem } from '../../src/shell/files/index.js';
import type { FileSystem } from '../../src/shell/files/index.js';
import type { Builtin, BuiltinContext, SessionServices, ShellHandle } from '../../src/shell/types.js';

export interface TestContext {
  ctx: BuiltinContext;
  stdout(): string;
  stderr(): string;
  /** Feed bytes to the built-in's stdin (keys for `top`). */
  stdin: PassThrough;
  abort(): void;
}

export interface TestContextOptions {
  services?: Partial<SessionServices>;
  cwd?: string;
  isTTY?: boolean;
  terminal?: { cols: number; rows: number };
  env?: Record<string, string>;
  /** What `lookupCommand` answers (default: nothing found). */
  commands?: Record<string, { kind: 'builtin'; name: string } | { kind: 'external'; path: string }>;
  /** End stdin at once (default true unless isTTY). */
  endStdin?: boolean;
  /** The file system the built-in sees (default: the real one). */
  fs?: FileSystem;
}

export function makeContext(options: TestContextOptions = {}): TestContext {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  if (options.endStdin ?? !options.isTTY) stdin.end();
  const controller = new AbortController();
  const vars = new Map<string, { value: string; exported: boolean }>(
    Object.entries(options.env ?? {}).map(([k, v]) => [k, { value: v, exported: true }]),
  );
  let cwd = options.cwd ?? process.cwd();
  const shell: ShellHandle = {
    getVar: (name) => vars.get(name)?.value,
    setVar: (name, value, exported = false) => void vars.set(name, { value, exported: exported || (vars.get(name)?.exported ?? false) }),
    unsetVar: (name) => void vars.delete(name),
    environ: () => Object.fromEntries([...vars].filter(([, v]) => v.exported).map(([k, v]) => [k, v.value])),
    chdir: async (dir) => void (cwd = dir),
    lookupCommand: async (name) => options.commands?.[name],
    builtinNames: () => [],
  };
  const services: SessionServices = {
    hostname: 'testhost',
    procRoot: '/proc',
    sysRoot: '/sys',
    devRoot: '/dev',
    ...options.services,
  };
  const ctx: BuiltinContext = {
    stdin,
    stdout,
    stderr,
    get cwd() {
      return cwd;
    },
    isTTY: options.isTTY ?? false,
    terminal: options.terminal ?? { cols: 80, rows: 24 },
    signal: controller.signal,
    resolve: (path) => (isAbsolute(path) ? path : resolvePath(cwd, path)),
    shell,
    services,
    fs: options.fs ?? nodeFileSystem,
  };
  return {
    ctx,
    stdout: () => Buffer.concat(out).toString(),
    stderr: () => Buffer.concat(err).toString(),
    stdin,
    abort: () => controller.abort(),
  };
}

/** Runs a built-in with args; resolves with its exit code and collected output. */
export async function runBuiltin(
  builtin: Builtin,
  args: string[],
  options: TestContextOptions = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const t = makeContext(options);
  const code = await builtin.run(args, t.ctx);
  // Let PassThrough 'data' events for the last writes fire.
  await new Promise((r) => setImmediate(r));
  return { code, stdout: t.stdout(), stderr: t.stderr() };
}
