// Getting busybox-static for any architecture with apt, without enabling multiarch:
// first `apt-get download busybox-static:ARCH` against the host's lists (enough for
// the native architecture, or a foreign one already added with dpkg); failing that,
// a private `apt-get update` for that architecture into a temp dir (the host's
// sources, APT::Architecture(s) overridden, nothing system-wide touched), then the
// download with the same options.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCapture } from '../src/os/index.js';
import type { ChildResult } from '../src/os/index.js';

export class AptError extends Error {
  override name = 'AptError';
}

const APT_TIMEOUT_MS = 10 * 60_000;

/** apt-get options that select one architecture and keep state in `workDir`. */
export function privateAptOptions(debianArch: string, workDir: string): string[] {
  return [
    '-o', `APT::Architecture=${debianArch}`,
    '-o', `APT::Architectures::=${debianArch}`,
    '-o', `Dir::State::Lists=${join(workDir, 'lists')}`,
    '-o', `Dir::Cache=${join(workDir, 'cache')}`,
    // Private lists need no lock on the system's; also lets a non-root user run it.
    '-o', 'Debug::NoLocking=1',
  ];
}

/** Runs apt-get with C-locale messages; ENOENT becomes an AptError that says what to do. */
export async function aptGet(args: string[], cwd: string, log: (line: string) => void): Promise<ChildResult> {
  log(`apt-get ${args.join(' ')}`);
  try {
    return await runCapture('apt-get', args, { cwd, timeoutMs: APT_TIMEOUT_MS, env: { ...process.env, LC_ALL: 'C' } });
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') {
      throw new AptError('apt-get not found: run busybox-fetch on a Debian-like host, or pass --deb FILE or --binary FILE');
    }
    throw err;
  }
}

async function downloadedDeb(dir: string): Promise<string | undefined> {
  const debs = (await readdir(dir)).filter((n) => n.endsWith('.deb'));
  return debs.length ? join(dir, debs[0]!) : undefined;
}

/** The last `E:` line of apt's stderr (its reason), else its last line. */
export function lastError(r: ChildResult): string {
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('E:'));
  return lines.at(-1) ?? r.stderr.trim().split('\n').at(-1) ?? `exit ${r.code}`;
}

/** Downloads busybox-static for `debianArch` into `workDir`; returns the .deb's path and bytes. */
export async function downloadBusyboxDeb(debianArch: string, workDir: string, log: (line: string) => void): Promise<{ path: string; data: Buffer }> {
  const dl = join(workDir, 'download');
  await mkdir(dl, { recursive: true });
  const pkg = `busybox-static:${debianArch}`;
  const direct = await aptGet(['download', pkg], dl, log);
  let deb = direct.code === 0 ? await downloadedDeb(dl) : undefined;
  if (!deb) {
    log(`${pkg} is not in this host's package lists; fetching the ${debianArch} lists privately`);
    await mkdir(join(workDir, 'lists', 'partial'), { recursive: true });
    await mkdir(join(workDir, 'cache', 'archives', 'partial'), { recursive: true });
    const opts = privateAptOptions(debianArch, workDir);
    const update = await aptGet([...opts, 'update'], dl, log);
    if (update.code !== 0) throw new AptError(`apt-get update for ${debianArch} failed: ${lastError(update)}`);
    const again = await aptGet([...opts, 'download', pkg], dl, log);
    if (again.code !== 0) throw new AptError(`apt-get download ${pkg} failed: ${lastError(again)}`);
    deb = await downloadedDeb(dl);
  }
  if (!deb) throw new AptError(`apt-get download ${pkg} reported success but left no .deb`);
  return { path: deb, data: await readFile(deb) };
}
