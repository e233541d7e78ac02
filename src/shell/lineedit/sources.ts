// The file-system side of tab completion: programs on PATH and directory listings.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CompletionSources } from './complete.js';

/** Executable names starting with prefix in the PATH directories (unreadable ones skipped). */
export function programsOnPath(prefix: string, path: string): string[] {
  const names: string[] = [];
  for (const dir of path.split(':')) {
    if (!dir) continue;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of entries) {
      if (!name.startsWith(prefix)) continue;
      try {
        if (statSync(join(dir, name)).mode & 0o111) names.push(name);
      } catch {
        // A dangling link.
      }
    }
  }
  return names;
}

/** Entries of dir (relative to cwd), with symbolic links to directories counted as directories. */
export function listDirectory(dir: string, cwd: string): Array<{ name: string; dir: boolean }> {
  const full = resolve(cwd, dir);
  try {
    return readdirSync(full, { withFileTypes: true }).map((e) => {
      let isDir = e.isDirectory();
      if (e.isSymbolicLink()) {
        try {
          isDir = statSync(join(full, e.name)).isDirectory();
        } catch {
          isDir = false;
        }
      }
      return { name: e.name, dir: isDir };
    });
  } catch {
    return [];
  }
}

export function fileSystemSources(options: { builtins: () => string[]; path: () => string; cwd: () => string; home: () => string | undefined }): CompletionSources {
  return {
    home: options.home(),
    commands: (prefix) => [...options.builtins().filter((n) => n.startsWith(prefix)), ...programsOnPath(prefix, options.path())],
    list: (dir) => listDirectory(dir, options.cwd()),
  };
}
