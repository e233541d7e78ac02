// A busybox in the toolbox gets a symlink per applet (`ls -> busybox`), from what
// `busybox --list` prints. Links never replace anything the archive or the toolbox
// already has at that name.
import { lstat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, runCapture } from '../../os/index.js';
import { messageOf } from '../../common/index.js';
import { parentOf } from './entry-path.js';
import type { StagedTree } from './extract.js';

const BUSYBOX_PATHS = ['busybox', 'bin/busybox'];
const LIST_TIMEOUT_MS = 5000;
/** Applet names as busybox prints them: `[`, `[[`, `ls`, `run-parts`, `ssl_client` … */
const APPLET_NAME = /^[A-Za-z0-9_+.[-]+$/;

/** Parses `busybox --list` output: one name a line; anything odd is skipped. */
export function parseAppletList(text: string): string[] {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const name = line.trim();
    if (name === '' || name === '.' || name === '..' || name === 'busybox' || !APPLET_NAME.test(name)) continue;
    names.add(name);
  }
  return [...names].sort();
}

export interface AppletResult {
  links: number;
  /** Why no links were made, when a busybox was there but could not be listed. */
  skipped?: string;
}

/** Adds applet links beside a staged busybox (in the staging dir, before commit). */
export async function addAppletLinks(stageDir: string, tree: StagedTree, toolboxDir: string): Promise<AppletResult> {
  const busybox = BUSYBOX_PATHS.find((p) => {
    const node = tree.get(p);
    return node?.kind === 'file' && (node.mode & 0o111) !== 0;
  });
  if (!busybox) return { links: 0 };
  let listing: string;
  try {
    const result = await runCapture(join(stageDir, busybox), ['--list'], { timeoutMs: LIST_TIMEOUT_MS, maxStdoutBytes: 256 * 1024 });
    if (result.code !== 0) return { links: 0, skipped: `busybox --list failed (${result.killed ? 'timed out' : `exit ${result.code ?? result.signal}`})` };
    listing = result.stdout.toString();
  } catch (err) {
    // ENOEXEC / EACCES: a busybox for another architecture; the tarball is still fine.
    return { links: 0, skipped: `cannot run busybox here (${errnoCode(err) ?? messageOf(err)})` };
  }
  const dir = parentOf(busybox);
  let links = 0;
  for (const name of parseAppletList(listing)) {
    const path = dir ? `${dir}/${name}` : name;
    if (tree.has(path) || (await existsInToolbox(join(toolboxDir, path)))) continue;
    await symlink('busybox', join(stageDir, path));
    tree.set(path, { kind: 'symlink', mode: 0o777, size: 'busybox'.length });
    links++;
  }
  return { links };
}

async function existsInToolbox(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return false;
    throw err;
  }
}
