// sysctl: read and write kernel parameters under /proc/sys (sysctl(8), procps). Writing
// is an ordinary file write, so `-w` works without any special system call.
import { readdir, readFile, writeFile } from 'node:fs/promises';
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

async function runSysctl(args: string[], ctx: BuiltinContext): Promise<number> {
  // -p takes an optional file: handle `-p` without a value before getopt.
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
  const root = join(ctx.services.procRoot, 'sys');
  const out = new LineWriter(ctx.stdout);
  const json = opts.has('json');
  const jsonValues: Record<string, string> = {};
  const emit = async (name: string, value: string): Promise<void> => {
    if (json) jsonValues[name] = value.replace(/\n$/, '');
    else await show(out, name, value, f);
  };
  let ok = true;

  if (loadFile !== undefined) {
    let entries;
    try {
      entries = parseSysctlConf(await readFile(ctx.resolve(loadFile), 'utf8'));
    } catch (err) {
      return fail(ctx.stderr, 'sysctl', `${loadFile}: ${errnoCode(err) ? describe(err) : (err as Error).message}`);
    }
    for (const entry of entries) {
      if (!(await setValue(root, entry.name, entry.value, out, { ...f, ignore: f.ignore || entry.ignoreErrors }, ctx))) ok = entry.ignoreErrors && ok;
    }
  } else if (opts.has('a') || opts.has('all') || opts.has('A') || opts.has('X')) {
    const pattern = opts.operands[0];
    for await (const path of walk(root)) {
      if (ctx.signal.aborted) break;
      const name = sysctlName(path);
      if (pattern !== undefined && !name.includes(pattern)) continue;
      // Write-only entries (vm.compact_memory, net.ipv4.route.flush) and ones the kernel
      // refuses to read are skipped, as sysctl -a does.
      const value = await readProcFile(join(root, path)).catch(() => undefined);
      if (value !== undefined) await emit(name, value);
    }
  } else {
    if (opts.operands.length === 0) return usageError('sysctl', 'no variables specified', ctx);
    for (const operand of opts.operands) {
      const eq = operand.indexOf('=');
      if (eq !== -1) {
        if (!(await setValue(root, operand.slice(0, eq).trim(), operand.slice(eq + 1).trim(), out, f, ctx))) ok = false;
        continue;
      }
      if (opts.has('w') || opts.has('write')) {
        await fail(ctx.stderr, 'sysctl', `"${operand}" must be of the form name=value`);
        ok = false;
        continue;
      }
      let path: string;
      try {
        path = sysctlPath(operand);
      } catch (err) {
        await fail(ctx.stderr, 'sysctl', (err as Error).message);
        ok = false;
        continue;
      }
      try {
        await emit(sysctlName(path), await readProcFile(join(root, path)));
      } catch (err) {
        if (f.ignore && errnoCode(err) === 'ENOENT') continue;
        const message = errnoCode(err) === 'ENOENT' ? `cannot stat /proc/sys/${path}: No such file or directory` : `reading key "${sysctlName(path)}": ${describe(err)}`;
        await fail(ctx.stderr, 'sysctl', message);
        ok = false;
      }
    }
  }
  if (json) await out.line(JSON.stringify(jsonValues));
  await out.flush();
  if (ctx.signal.aborted) return 130;
  return ok ? 0 : 1;
}

export const sysctl: Builtin = { name: 'sysctl', summary: 'read or write kernel parameters (/proc/sys)', usage: USAGE, run: runSysctl };
