// Moves a staged archive into the toolbox. First a dry run that refuses anything that
// would write through a link or swap a directory for a file, so a refusal changes
// nothing; then renames only (same file system): a running binary is replaced by a
// new inode, never truncated, so there is no "text file busy".
import { lstat, rename } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { errnoCode } from '../../os/index.js';
import { ancestorsOf } from './entry-path.js';
import { ToolboxError, refuseEntry } from './errors.js';
import type { StagedTree } from './extract.js';

type Action = 'move' | 'merge';

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return null;
    throw err;
  }
}

function describe(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symlink';
  if (st.isDirectory()) return 'a directory';
  return 'a file';
}

/** Decides, per staged path, whether it moves as a whole or merges; throws on conflict. */
export async function planCommit(tree: StagedTree, toolboxDir: string): Promise<Map<string, Action>> {
  const plan = new Map<string, Action>();
  const moved = new Set<string>();
  for (const path of [...tree.keys()].sort()) {
    if (ancestorsOf(path).some((a) => moved.has(a))) continue;
    const node = tree.get(path)!;
    const existing = await lstatOrNull(join(toolboxDir, path));
    if (node.kind === 'dir') {
      if (!existing) {
        plan.set(path, 'move');
        moved.add(path);
      } else if (existing.isDirectory()) {
        plan.set(path, 'merge');
      } else {
        throw refuseEntry(path, `the toolbox has ${describe(existing)} there; the archive's directory would ${existing.isSymbolicLink() ? 'be written through it' : 'replace it'} (run toolbox clear first)`);
      }
      continue;
    }
    if (existing?.isDirectory()) {
      throw refuseEntry(path, 'a directory of that name is in the toolbox (run toolbox clear first)');
    }
    plan.set(path, 'move');
  }
  return plan;
}

/** Applies a plan made by planCommit. */
export async function applyCommit(plan: Map<string, Action>, stageDir: string, toolboxDir: string): Promise<void> {
  for (const [path, action] of plan) {
    if (action !== 'move') continue;
    try {
      await rename(join(stageDir, path), join(toolboxDir, path));
    } catch (err) {
      throw new ToolboxError(`installing ${path} failed: ${errnoCode(err) ?? String(err)}`, { path }, { cause: err });
    }
  }
}
