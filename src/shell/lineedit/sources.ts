// The file-system side of tab completion: programs on PATH and directory listings, read
// through the session's file system before the (pure) completion runs.
import { join, resolve } from 'node:path';
import { nodeFileSystem } from '../files/index.js';
import type { FileSystem } from '../files/index.js';
import { completionNeed } from './complete.js';
import type { CompletionSources } from './complete.js';

/** Executable names starting with prefix in the PATH directories (unreadable ones skipped). */
export async function programsOnPath(prefix: string, path: string, fs: FileSystem = nodeFileSystem): Promise<string[]> {
  const perDir = await Promise.all(
    path.split(':').map(async (dir) => {
      if (!dir) return [];
      const entries = await fs.readdir(dir).catch(() => []);
      const matching = entries.filter((name) => name.startsWith(prefix));
      // A dangling link has no mode: it is skipped.
      const modes = await Promise.all(matching.map((name) => fs.stat(join(dir, name)).then((s) => s.mode, () => 0)));
      return matching.filter((_, i) => modes[i]! & 0o111);
    }),
  );
  return perDir.flat();
}

/** Entries of dir (relative to cwd), with symbolic links to directories counted as directories. */
export async function listDirectory(dir: string, cwd: string, fs: FileSystem = nodeFileSystem): Promise<Array<{ name: string; dir: boolean }>> {
  const full = resolve(cwd, dir);
  const entries = await fs.readdir(full, { withFileTypes: true }).catch(() => []);
  return Promise.all(
    entries.map(async (e) => {
      const isDir = e.isSymbolicLink() ? await fs.stat(join(full, e.name)).then((s) => s.isDirectory(), () => false) : e.isDirectory();
      return { name: e.name, dir: isDir };
    }),
  );
}

export interface CompletionContext {
  fs: FileSystem;
  builtins: () => string[];
  path: () => string;
  cwd: () => string;
  home: () => string | undefined;
}

/** Reads what completing `before` needs, and answers from that. */
export async function fileSystemSources(before: string, options: CompletionContext): Promise<CompletionSources> {
  const home = options.home();
  const need = completionNeed(before, home);
  if (need.kind === 'commands') {
    const programs = await programsOnPath(need.prefix, options.path(), options.fs);
    const names = [...options.builtins(), ...programs];
    return { home, commands: (prefix) => names.filter((n) => n.startsWith(prefix)), list: () => [] };
  }
  const entries = await listDirectory(need.dir, options.cwd(), options.fs);
  return { home, commands: () => [], list: (dir) => (dir === need.dir ? entries : []) };
}
