// Pure rules for tar entry names and link targets (no I/O). An archive may only
// create things inside the toolbox: no absolute names, no `..`, no link that points
// out of it. GNU tar's `./` prefixes are accepted and dropped.

export type PathCheck = { ok: true; path: string } | { ok: false; reason: string };

/** Normalises an entry name to `a/b/c` ('' is the archive root `./`), or says why not. */
export function normalizeEntryName(name: string): PathCheck {
  if (name.includes('\0')) return { ok: false, reason: 'name contains a NUL byte' };
  if (name.startsWith('/')) return { ok: false, reason: 'absolute path' };
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return { ok: false, reason: 'path contains ".."' };
    parts.push(part);
  }
  return { ok: true, path: parts.join('/') };
}

/** Directory part of a normalised path ('' for top-level names). */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/** Every proper ancestor of a normalised path, outermost first: `a/b/c` → `a`, `a/b`. */
export function ancestorsOf(path: string): string[] {
  const parts = path.split('/');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('/'));
  return out;
}

/**
 * Checks a symlink target against the entry's place in the tree. Allowed: relative
 * targets whose `..` parts all come first and climb no higher than the toolbox root
 * (`sh -> busybox`, `bin/sh -> ../busybox`). Because every link's parent is a real
 * directory (the extractor refuses writing through links) and no target climbs after
 * descending, no chain of such links can leave the toolbox. Returns the lexical
 * destination, relative to the root.
 */
export function checkSymlinkTarget(entryPath: string, target: string): PathCheck {
  if (target === '') return { ok: false, reason: 'empty symlink target' };
  if (target.includes('\0')) return { ok: false, reason: 'symlink target contains a NUL byte' };
  if (target.startsWith('/')) return { ok: false, reason: `symlink to absolute path ${target} leaves the toolbox` };
  const base = parentOf(entryPath);
  const resolved = base === '' ? [] : base.split('/');
  let descended = false;
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (descended) return { ok: false, reason: `symlink target ${target} climbs with ".." after descending` };
      if (resolved.length === 0) return { ok: false, reason: `symlink target ${target} leaves the toolbox` };
      resolved.pop();
      continue;
    }
    descended = true;
    resolved.push(part);
  }
  return { ok: true, path: resolved.join('/') };
}

/** Top-level names that the toolbox unpacks when an upload of them closes. */
export function isArchiveName(name: string): boolean {
  return /\.(tar|tar\.gz|tgz)$/i.test(name) && !name.includes('/') && !name.startsWith('.');
}
