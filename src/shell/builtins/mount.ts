// mount: list mounts like util-linux (`SOURCE on DIR type TYPE (OPTIONS)`) from
// /proc/self/mountinfo, or --json. Mounting needs the mount(2) system call, which Node.js
// cannot make: a toolbox `mount` (or busybox) does it, spawned in its own process group.
import { constants } from 'node:fs';
import type { FileSystem } from '../files/index.js';
import { join } from 'node:path';
import { formatMountLine, mergeMountOptions, readMountinfo } from '../../proc/index.js';
import type { MountEntry } from '../../proc/index.js';
import type { Builtin, BuiltinContext } from '../types.js';
import { fail } from './io.js';
import { spawnGroup, write } from '../../os/index.js';
import { JsonArrayWriter, LineWriter, usageError } from './system-util.js';

const USAGE = `Usage: mount [-l] [-t TYPE[,TYPE…]] [--json]
       mount [OPTIONS] [SOURCE] DIR      (delegated to the toolbox)
List mounted file systems (from /proc/self/mountinfo) as util-linux does:
  SOURCE on DIR type TYPE (OPTIONS)
  -l            same listing (labels are not looked up)
  -t TYPES      only these types (comma separated; "no" prefix negates: -t nocgroup)
  --json        [{"source", "target", "fstype", "options", "vfs_options",
                  "super_options", "root", "id", "parent", "major", "minor"}]
Mounting (anything else, e.g. mount -o remount,rw /perm) needs the mount(2) system
call, which the breakglass shell cannot make; it runs the toolbox's mount or busybox
mount with the same arguments.
`;

export interface DelegateTarget {
  file: string;
  argv: string[];
}

async function isExecutable(fs: FileSystem, path: string): Promise<boolean> {
  try {
    await fs.access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A toolbox program named `applet`, else `busybox applet` when busybox is on PATH. */
export async function findDelegate(applet: string, ctx: BuiltinContext): Promise<DelegateTarget | undefined> {
  for (const dir of ctx.services.toolbox?.pathDirs() ?? []) {
    const candidate = join(dir, applet);
    if (await isExecutable(ctx.fs, candidate)) return { file: candidate, argv: [] };
  }
  const busybox = await ctx.shell.lookupCommand('busybox');
  if (busybox?.kind === 'external') return { file: busybox.path, argv: [applet] };
  return undefined;
}

const KILL_GRACE_MS = 2000;

/**
 * Runs a delegate with the built-in's streams: own process group, SIGTERM to the group on
 * abort and SIGKILL after a grace period; resolves with sh's exit status convention.
 */
export function runDelegate(target: DelegateTarget, args: string[], ctx: BuiltinContext): Promise<number> {
  return new Promise((resolve) => {
    const { child } = spawnGroup(target.file, [...target.argv, ...args], {
      cwd: ctx.cwd,
      env: ctx.shell.environ(),
      // mount/umount read nothing; the session's input stays with the shell.
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: ctx.signal,
      killGraceMs: KILL_GRACE_MS,
      endsAt: 'close',
    });
    child.stdout!.pipe(ctx.stdout, { end: false });
    child.stderr!.pipe(ctx.stderr, { end: false });
    child.on('error', (err) => {
      void fail(ctx.stderr, target.argv[0] ?? target.file, `cannot run ${target.file}: ${err.message}`, 126).then(resolve);
    });
    child.on('close', (code, signal) => {
      if (signal) {
        const number = (
          { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGPIPE: 13, SIGTERM: 15 } as Record<string, number>
        )[signal];
        resolve(128 + (number ?? 1));
      } else resolve(code ?? 1);
    });
  });
}

/** The message when no delegate exists (without the `NAME: ` prefix). */
export function cannotMount(call: 'mount' | 'umount'): string {
  return `${call === 'mount' ? 'mounting' : 'unmounting'} needs the ${call}(2) system call, which the breakglass shell cannot make; upload a toolbox with busybox (see 'toolbox --help')`;
}

/** Matches `-t` type lists: `ext4,vfat` or `noproc,nosysfs`. */
export function typeFilter(list: string | undefined): (type: string) => boolean {
  if (list === undefined) return () => true;
  const types = list.split(',').filter(Boolean);
  const negated = types.length > 0 && types.every((t) => t.startsWith('no'));
  if (negated) {
    const excluded = new Set(types.map((t) => t.slice(2)));
    return (t) => !excluded.has(t);
  }
  const included = new Set(types);
  return (t) => included.has(t);
}

function mountJson(e: MountEntry): Record<string, unknown> {
  return {
    source: e.source,
    target: e.mountPoint,
    fstype: e.fsType,
    options: mergeMountOptions(e.mountOptions, e.superOptions),
    vfs_options: e.mountOptions,
    super_options: e.superOptions,
    root: e.root,
    id: e.id,
    parent: e.parentId,
    major: e.major,
    minor: e.minor,
    propagation: e.optional,
  };
}

/** Parses the listing forms; undefined when the arguments ask for a mount. */
function listingArgs(args: readonly string[]): { types?: string; json: boolean; help: boolean } | undefined {
  let types: string | undefined;
  let json = false;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-l' || arg === '--show-labels') continue;
    if (arg === '--json' || arg === '-J') json = true;
    else if (arg === '--help') help = true;
    else if (arg === '-t' || arg === '--types') {
      types = args[++i];
      if (types === undefined) return undefined;
    } else if (arg.startsWith('-t') && arg.length > 2) types = arg.slice(2);
    else if (arg.startsWith('--types=')) types = arg.slice(8);
    else return undefined;
  }
  return { ...(types === undefined ? {} : { types }), json, help };
}

async function runMount(args: string[], ctx: BuiltinContext): Promise<number> {
  const listing = listingArgs(args);
  if (listing === undefined) {
    const target = await findDelegate('mount', ctx);
    if (!target) return fail(ctx.stderr, 'mount', cannotMount('mount'));
    return runDelegate(target, args, ctx);
  }
  if (listing.help) {
    await write(ctx.stdout, USAGE);
    return 0;
  }
  let entries: MountEntry[];
  try {
    entries = await readMountinfo(ctx.services.procRoot);
  } catch (err) {
    return fail(ctx.stderr, 'mount', `cannot read ${ctx.services.procRoot}/self/mountinfo: ${(err as Error).message}`);
  }
  if (listing.types !== undefined && listing.types === '') return usageError('mount', 'option -t needs a type list', ctx);
  const keep = typeFilter(listing.types);
  const out = new LineWriter(ctx.stdout);
  const json = listing.json ? new JsonArrayWriter(out) : undefined;
  for (const entry of entries) {
    if (!keep(entry.fsType)) continue;
    if (json) await json.item(mountJson(entry));
    else await out.line(formatMountLine(entry));
  }
  if (json) await json.end();
  await out.flush();
  return 0;
}

export const mount: Builtin = { name: 'mount', summary: 'list mounts (util-linux layout, --json); mounting via the toolbox', usage: USAGE, run: runMount };
