// Pathname expansion (sh's globbing): `*`, `?`, `[…]` per path segment. Patterns arrive
// with quoted characters backslash-escaped, so `'*'` matches only a literal star.
import { isAbsolute, join } from 'node:path';
import type { FileSystem } from '../files/index.js';

/** Lists a directory's entries (injected for tests); [] when it cannot be read. */
export type ReadDir = (dir: string) => string[] | Promise<string[]>;

/** The session's file system as a ReadDir. */
export function readDirOf(fs: FileSystem): ReadDir {
  return (dir) => fs.readdir(dir).catch(() => []);
}

/** True when an escaped pattern has an unescaped glob character. */
export function hasGlob(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}

/** Removes the escaping backslashes of a pattern. */
export function unescapePattern(pattern: string): string {
  return pattern.replace(/\\(.)/gs, '$1');
}

/** One path segment's pattern → RegExp (anchored). Leading dots must match literally. */
export function segmentRegExp(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '\\' && i + 1 < segment.length) {
      re += escapeRe(segment[++i]!);
    } else if (c === '*') {
      re += '.*';
    } else if (c === '?') {
      re += '.';
    } else if (c === '[') {
      const cls = bracket(segment, i);
      if (cls) {
        re += cls.re;
        i = cls.end;
      } else re += '\\[';
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, 's');
}

function bracket(p: string, start: number): { re: string; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (p[i] === '!' || p[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  for (; i < p.length; i++) {
    const c = p[i]!;
    if (c === ']' && !first) return { re: `[${negate ? '^' : ''}${body}]`, end: i };
    first = false;
    if (c === '\\' && i + 1 < p.length) body += escapeClass(p[++i]!);
    else if (c === '-' ) body += '-';
    else body += escapeClass(c);
  }
  return undefined;
}

function escapeRe(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}
function escapeClass(c: string): string {
  return /[\\\]^[]/.test(c) ? `\\${c}` : c;
}

/**
 * Expands an escaped pattern against the file system. Returns the sorted matches, or []
 * when nothing matches (the caller then keeps the word literally, like sh).
 */
export async function expandGlob(pattern: string, cwd: string, uncachedReadDir: ReadDir): Promise<string[]> {
  // Each directory is read once per expansion (the segment walk and the existence check).
  const listings = new Map<string, Promise<string[]>>();
  const readDir = (dir: string): Promise<string[]> => {
    let listing = listings.get(dir);
    if (!listing) listings.set(dir, (listing = Promise.resolve(uncachedReadDir(dir))));
    return listing;
  };
  const absolute = isAbsolute(pattern);
  const segments = pattern.split('/').filter((s, i) => s !== '' || i === 0);
  let paths: string[] = [absolute ? '/' : ''];
  const start = absolute ? 1 : 0;
  const trailingSlash = pattern.endsWith('/') && pattern.length > 1;
  for (let s = start; s < segments.length; s++) {
    const seg = segments[s]!;
    const next: string[] = [];
    if (!hasGlob(seg)) {
      const name = unescapePattern(seg);
      for (const p of paths) next.push(p === '' ? name : p === '/' ? `/${name}` : `${p}/${name}`);
    } else {
      const re = segmentRegExp(seg);
      const dotOk = seg.startsWith('.') || seg.startsWith('\\.');
      for (const p of paths) {
        const dir = p === '' ? cwd : isAbsolute(p) ? p : join(cwd, p);
        for (const entry of [...(await readDir(dir))].sort()) {
          if (entry.startsWith('.') && !dotOk) continue;
          if (re.test(entry)) next.push(p === '' ? entry : p === '/' ? `/${entry}` : `${p}/${entry}`);
        }
      }
    }
    paths = next;
    if (paths.length === 0) return [];
  }
  // Literal segments must exist too (e.g. `*/missing`).
  const exists = async (p: string): Promise<boolean> => {
    const full = isAbsolute(p) ? p : join(cwd, p);
    const slash = full.lastIndexOf('/');
    const dir = full.slice(0, slash) || '/';
    return (await readDir(dir)).includes(full.slice(slash + 1));
  };
  const present = await Promise.all(paths.map(exists));
  const result = paths.filter((_, i) => present[i]).map((p) => (trailingSlash ? `${p}/` : p));
  return result.sort();
}
