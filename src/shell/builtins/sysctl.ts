// sysctl: read and write kernel parameters under /proc/sys (sysctl(8), procps). Writing
// is an ordinary file write, so `-w` works without any special system call.
// /proc/sys itself is read and written under services.procRoot (a fixture tree in tests),
// like every /proc reader in src/proc; the user's -p FILE goes through ctx.fs.
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../../os/index.js';
import { parseSysctlConf, readProcFile, sysctlName, sysctlPath } from '../../proc/index.js';
import type { Builtin, BuiltinContext } from '../types.js';
import { fail } from './io.js';
import { LineWriter, parseOrExit, usageError } from './system-util.js';

const USAGE = `Usage: sysctl [-n] [-e] [-N] [-q] NAME…
       sysctl [-n] -a [PATTERN]
       sysctl -w NAME=VALUE…
       sysctl -p [FILE]
Read or write kernel parameters in /proc/sys.
  -a, --all       every readable parameter (optionally only names containing PATTERN)
  -n, --values    print values only
  -N, --names     print names only
  -e, --ignore    do not complain about unknown names
  -q, --quiet     do not echo values that were written
  -w, --write     NAME=VALUE operands set parameters (NAME=VALUE works without -w too)
  -p, --load      apply NAME = VALUE lines from FILE (default /etc/sysctl.conf)
      --json      {"name": value, …} for the parameters read
Names use dots (net.ipv4.ip_forward) or slashes (net/ipv4/conf/eth0.100/rp_filter).
`;

interface Flags {
  valuesOnly: boolean;
  namesOnly: boolean;
  ignore: boolean;
  quiet: boolean;
}

function describe(err: unknown): string {
  const code = errnoCode(err);
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'Permission denied';
  if (code === 'EINVAL') return 'Invalid argument';
  return (err as Error).message;
}

async function show(out: LineWriter, name: string, value: string, f: Flags): Promise<void> {
  if (f.namesOnly) return out.line(name);
  // A multi-line value prints one `name = line` per line, as procps does.
  for (const line of value.replace(/\n$/, '').split('\n')) await out.line(f.valuesOnly ? line : `${name} = ${line}`);
}

/** Readable files under /proc/sys, depth first, sorted, without following links. */
async function* walk(root: string, rel = ''): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(join(root, rel), { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* walk(root, path);
    else if (entry.isFile()) yield path;
  }
}

async function setValue(root: string, name: string, value: string, out: LineWriter, f: Flags, ctx: BuiltinContext): Promise<boolean> {
  let path: string;
  try {
    path = sysctlPath(name);
  } catch (err) {
    await fail(ctx.stderr, 'sysctl', (err as Error).message);
    return false;
  }
  try {
    await writeFile(join(root, path), `${value}\n`);
  } catch (err) {
    if (f.ignore && errnoCode(err) === 'ENOENT') return true;
    const why = errnoCode(err) === 'ENOENT' ? `cannot stat /proc/sys/${path}: No such file or directory` : `setting key "${sysctlName(path)}": ${describe(err)}`;
    await fail(ctx.stderr, 'sysctl', why);
    return false;
  }
  if (!f.quiet) await show(out, sysctlName(path), value, f);
  return true;
}

/** `-p` takes an optional file, which getopt cannot say: take it out of the arguments first. */
function splitLoadOption(args: readonly string[]): { loadFile: string | undefined; rest: string[] } {
  let loadFile: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-p' || arg === '--load' || arg.startsWith('--load=') || /^-p./.test(arg)) {
      const attached = arg.startsWith('--load=') ? arg.slice(7) : arg.startsWith('-p') && arg.length > 2 ? arg.slice(2) : undefined;
      const next = args[i + 1];
      loadFile = attached ?? (next !== undefined && !next.startsWith('-') && !next.includes('=') ? (i++, next) : '/etc/sysctl.conf');
    } else rest.push(arg);
  }
  return { loadFile, rest };
}

/** One run's state: where /proc/sys is, the flags, the output, and whether all went well. */
class SysctlRun {
  readonly root: string;
  readonly out: LineWriter;
  ok = true;
  private readonly jsonValues: Record<string, string> | undefined;

  constructor(
    readonly f: Flags,
    json: boolean,
    readonly ctx: BuiltinContext,
  ) {
    this.root = join(ctx.services.procRoot, 'sys');
    this.out = new LineWriter(ctx.stdout);
    this.jsonValues = json ? {} : undefined;
  }

  /** A value read: printed at once, or kept for the one --json object. */
  async emit(name: string, value: string): Promise<void> {
    if (this.jsonValues) this.jsonValues[name] = value.replace(/\n$/, '');
    else await show(this.out, name, value, this.f);
  }

  async error(message: string): Promise<void> {
    await fail(this.ctx.stderr, 'sysctl', message);
    this.ok = false;
  }

  async end(): Promise<number> {
    if (this.jsonValues) await this.out.line(JSON.stringify(this.jsonValues));
    await this.out.flush();
    if (this.ctx.signal.aborted) return 130;
    return this.ok ? 0 : 1;
  }
}

/** -p FILE: set each NAME = VALUE line; a line starting with `-` may fail quietly. */
async function loadConf(run: SysctlRun, loadFile: string): Promise<number | undefined> {
  let entries;
  try {
    entries = parseSysctlConf(await run.ctx.fs.readFile(run.ctx.resolve(loadFile), 'utf8'));
  } catch (err) {
    return fail(run.ctx.stderr, 'sysctl', `${loadFile}: ${errnoCode(err) ? describe(err) : (err as Error).message}`);
  }
  for (const entry of entries) {
    const f = { ...run.f, ignore: run.f.ignore || entry.ignoreErrors };
    if (!(await setValue(run.root, entry.name, entry.value, run.out, f, run.ctx))) run.ok = entry.ignoreErrors && run.ok;
  }
  return undefined;
}

/** -a [PATTERN]: every readable parameter whose name contains PATTERN. */
async function showAll(run: SysctlRun, pattern: string | undefined): Promise<void> {
  for await (const path of walk(run.root)) {
    if (run.ctx.signal.aborted) break;
    const name = sysctlName(path);
    if (pattern !== undefined && !name.includes(pattern)) continue;
    // Write-only entries (vm.compact_memory, net.ipv4.route.flush) and ones the kernel
    // refuses to read are skipped, as sysctl -a does.
    const value = await readProcFile(join(run.root, path)).catch(() => undefined);
    if (value !== undefined) await run.emit(name, value);
  }
}

/** One NAME operand: print its value. */
async function showOne(run: SysctlRun, operand: string): Promise<void> {
  let path: string;
  try {
    path = sysctlPath(operand);
  } catch (err) {
    return run.error((err as Error).message);
  }
  try {
    await run.emit(sysctlName(path), await readProcFile(join(run.root, path)));
  } catch (err) {
    if (run.f.ignore && errnoCode(err) === 'ENOENT') return;
    const message = errnoCode(err) === 'ENOENT' ? `cannot stat /proc/sys/${path}: No such file or directory` : `reading key "${sysctlName(path)}": ${describe(err)}`;
    await run.error(message);
  }
}

/** NAME and NAME=VALUE operands, in order; with -w every one must be NAME=VALUE. */
async function handleOperands(run: SysctlRun, operands: readonly string[], writeOnly: boolean): Promise<void> {
  for (const operand of operands) {
    const eq = operand.indexOf('=');
    if (eq !== -1) {
      if (!(await setValue(run.root, operand.slice(0, eq).trim(), operand.slice(eq + 1).trim(), run.out, run.f, run.ctx))) run.ok = false;
    } else if (writeOnly) await run.error(`"${operand}" must be of the form name=value`);
    else await showOne(run, operand);
  }
}

async function runSysctl(args: string[], ctx: BuiltinContext): Promise<number> {
  const { loadFile, rest } = splitLoadOption(args);
  const opts = await parseOrExit('sysctl', USAGE, rest, {
    flags: 'anNeqwAX',
    long: { all: false, values: false, names: false, ignore: false, quiet: false, write: false, json: false },
  }, ctx);
  if (typeof opts === 'number') return opts;
  const f: Flags = {
    valuesOnly: opts.has('n') || opts.has('values'),
    namesOnly: opts.has('N') || opts.has('names'),
    ignore: opts.has('e') || opts.has('ignore'),
    quiet: opts.has('q') || opts.has('quiet'),
  };
  const run = new SysctlRun(f, opts.has('json'), ctx);
  if (loadFile !== undefined) {
    const failed = await loadConf(run, loadFile);
    if (failed !== undefined) return failed;
  } else if (opts.has('a') || opts.has('all') || opts.has('A') || opts.has('X')) {
    await showAll(run, opts.operands[0]);
  } else {
    if (opts.operands.length === 0) return usageError('sysctl', 'no variables specified', ctx);
    await handleOperands(run, opts.operands, opts.has('w') || opts.has('write'));
  }
  return run.end();
}

export const sysctl: Builtin = { name: 'sysctl', summary: 'read or write kernel parameters (/proc/sys)', usage: USAGE, run: runSysctl };
