// Walking and emptying the toolbox tree. Symlinks are listed, never followed.
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface TreeEntry {
  /** Relative to the toolbox dir, `/`-separated. */
  path: string;
  size: number;
  mode: number;
}

/** Every non-directory entry under `dir` (files, symlinks), sorted by path. `skip`: top-level names to leave out. */
export async function listTree(dir: string, skip: ReadonlySet<string> = new Set()): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  const walk = async (rel: string): Promise<void> => {
    const names = (await readdir(join(dir, rel))).sort();
    for (const name of names) {
      if (rel === '' && skip.has(name)) continue;
      const childRel = rel ? `${rel}/${name}` : name;
      const st = await lstat(join(dir, childRel));
      if (st.isDirectory()) await walk(childRel);
      else out.push({ path: childRel, size: st.size, mode: st.mode });
    }
  };
  await walk('');
  return out;
}

/** Bytes held by regular files (what the quota counts). */
export async function usedBytes(dir: string, skip?: ReadonlySet<string>): Promise<number> {
  let total = 0;
  for (const entry of await listTree(dir, skip)) if ((entry.mode & 0o170000) === 0o100000) total += entry.size;
  return total;
}

/** Removes everything inside `dir`, keeping `dir` itself (and the `skip` names). */
export async function emptyDir(dir: string, skip: ReadonlySet<string> = new Set()): Promise<void> {
  const names = (await readdir(dir)).filter((name) => !skip.has(name));
  await Promise.all(names.map((name) => rm(join(dir, name), { recursive: true, force: true })));
}
