// What breakglass-init does when it is PID 1. The kernel re-parents every orphan to
// PID 1, which must wait(2) for it or it stays a zombie. Node cannot: libuv only calls
// waitpid() for the pids it spawned itself, and no JS API waits for "any child" (no
// waitpid(-1), no prctl(PR_SET_CHILD_SUBREAPER)). So as PID 1 we:
//  - reap our own children (libuv does), and keep libuv's SIGCHLD handler in charge;
//  - run each service in its own process group and SIGKILL the whole group when it is
//    stopped, so few orphans are created in the first place;
//  - count the zombies we cannot reap (state Z, parent 1, not one of our own children,
//    which libuv is about to reap) and report them, so the
//    operator knows when to run us under a reaping init (tini, `docker run --init`) or
//    as a service of gokrazy's own init instead.
import { readdir, readFile } from 'node:fs/promises';

export const PID1_WARNING =
  'running as PID 1: Node cannot reap orphaned grandchildren (no waitpid(-1)); they stay zombies. ' +
  'Use a reaping init (tini, docker --init) for long uptimes.';

/** `/proc/PID/stat` → [state, ppid]; the comm field may contain spaces and parentheses. */
export function parseStatStateAndParent(stat: string): { state: string; ppid: number } | undefined {
  const close = stat.lastIndexOf(')');
  if (close === -1) return undefined;
  const fields = stat.slice(close + 2).split(' ');
  const ppid = Number(fields[1]);
  if (!fields[0] || !Number.isInteger(ppid)) return undefined;
  return { state: fields[0], ppid };
}

export interface ZombieCountOptions {
  /** Pids of our own children: between exit and libuv's waitpid() they are zombies too. */
  ownChildren?: () => readonly number[];
  procRoot?: string;
}

/** Zombies whose parent is `parent` (default: us), leaving out our own children. */
export async function countZombies(parent: number = process.pid, options: ZombieCountOptions = {}): Promise<number> {
  const procRoot = options.procRoot ?? '/proc';
  let count = 0;
  for (const name of await readdir(procRoot)) {
    if (!/^\d+$/.test(name) || !(await isZombieOf(procRoot, name, parent))) continue;
    if (options.ownChildren?.().includes(Number(name))) continue;
    // libuv may have reaped it (and the service forgotten its pid) since we read its stat:
    // a zombie still there now, and not ours, is an orphan.
    if (await isZombieOf(procRoot, name, parent)) count++;
  }
  return count;
}

/** What init reports as PID 1: the zombies parented to it that are not its services'. */
export function countUnreapedOrphans(supervisor: { childPids(): number[] }): Promise<number> {
  return countZombies(1, { ownChildren: () => supervisor.childPids() });
}

async function isZombieOf(procRoot: string, pid: string, parent: number): Promise<boolean> {
  const parsed = parseStatStateAndParent(await readFile(`${procRoot}/${pid}/stat`, 'utf8').catch(() => ''));
  return parsed?.state === 'Z' && parsed.ppid === parent;
}
