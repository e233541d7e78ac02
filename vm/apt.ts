// Debian packages for the guest's architecture with apt, in a private state under the
// cache dir (busybox-fetch's privateAptOptions: the host's sources, APT::Architecture
// overridden, lists and archives kept in the cache, nothing system-wide changed). apt
// checks every .deb against the signed index it fetched, so a downloaded package is
// as verified as one apt-get install would take.
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { aptGet, lastError, privateAptOptions } from '../busybox-fetch/apt.js';
import { runCapture } from '../src/os/index.js';
import { VmError } from './errors.js';

export interface AptState {
  debianArch: string;
  /** Holds lists/ and cache/. */
  dir: string;
  log: (line: string) => void;
}

async function run(state: AptState, args: string[], cwd: string): Promise<string> {
  const r = await aptGet([...privateAptOptions(state.debianArch, state.dir), ...args], cwd, state.log).catch((err: unknown) => {
    throw new VmError((err as Error).message.replace(/busybox-fetch/, 'npm run vm'));
  });
  if (r.code !== 0) throw new VmError(`apt-get ${args.join(' ')} failed: ${lastError(r)}`);
  return r.stdout.toString();
}

/** `apt-get update` into the private lists, unless they are there already. */
export async function ensureLists(state: AptState): Promise<void> {
  const lists = join(state.dir, 'lists');
  await mkdir(join(lists, 'partial'), { recursive: true });
  await mkdir(join(state.dir, 'cache', 'archives', 'partial'), { recursive: true });
  if ((await readdir(lists)).some((n) => n.endsWith('_Packages'))) return;
  await run(state, ['update'], state.dir);
}

/** The package named first in Depends (a metapackage's target, e.g. linux-image-6.1.0-57-amd64). */
export function firstDependency(showOutput: string): string | undefined {
  const depends = /^Depends: (.*)$/m.exec(showOutput)?.[1];
  return depends?.split(/[,|]/)[0]?.trim().split(/\s/)[0];
}

/** apt-cache show's Depends of `pkg`: the kernel the metapackage points at. */
export async function resolveMetapackage(state: AptState, pkg: string): Promise<string> {
  // apt-cache is apt-get's sibling; it takes the same -o options.
  const opts = privateAptOptions(state.debianArch, state.dir);
  state.log(`apt-cache show ${pkg}`);
  const r = await runCapture('apt-cache', [...opts, 'show', '--no-all-versions', `${pkg}:${state.debianArch}`], { timeoutMs: 60_000, env: { ...process.env, LC_ALL: 'C' } });
  const target = r.code === 0 ? firstDependency(r.stdout.toString()) : undefined;
  if (!target) throw new VmError(`cannot resolve Debian package ${pkg} (${state.debianArch}): ${r.stderr.trim() || 'no Depends'}`);
  return target;
}

/** Downloads `pkg` for the state's architecture into `dir`; returns the .deb's path. */
export async function downloadDeb(state: AptState, pkg: string, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const prefix = `${pkg}_`;
  const have = (await readdir(dir)).find((n) => n.startsWith(prefix) && n.endsWith(`_${state.debianArch}.deb`));
  if (have) return join(dir, have);
  try {
    await run(state, ['download', `${pkg}:${state.debianArch}`], dir);
  } catch (err) {
    throw new VmError(`cannot fetch Debian package ${pkg} (${state.debianArch}): ${(err as Error).message}`);
  }
  const got = (await readdir(dir)).find((n) => n.startsWith(prefix) && n.endsWith('.deb'));
  if (!got) throw new VmError(`apt-get download ${pkg}:${state.debianArch} left no .deb in ${dir}`);
  return join(dir, got);
}
