// One `ls` entry: its lstat, the `-l` line in busybox's fixed-width layout
// (`-rw-r--r--    1 root     root          1234 Nov 27 10:01 name`), colours and -F marks.
import type { Stats } from 'node:fs';
import { humanSize } from './format.js';
import { lsDate, modeString } from '../../../os/index.js';
import type { IdNames } from '../../../os/index.js';

export interface Entry {
  /** Name as listed (basename inside a directory, the operand as typed otherwise). */
  name: string;
  path: string;
  stats: Stats;
  /** Symlink target text, when a symlink. */
  target?: string;
  /** Stats of what a symlink points to; null for a dangling link. */
  targetStats?: Stats | null;
}

export interface LongOptions {
  human: boolean;
  numeric: boolean;
  ids: IdNames;
  now: Date;
}

/** Linux's dev_t split (glibc gnu_dev_major/minor). */
export function majorMinor(rdev: number): [number, number] {
  const major = Math.floor(rdev / 256) & 0xfff;
  const minor = (rdev & 0xff) | (Math.floor(rdev / 4096) & ~0xff);
  return [major, minor];
}

export function longLine(entry: Entry, shownName: string, o: LongOptions): string {
  const s = entry.stats;
  const user = (!o.numeric && o.ids.user(s.uid)) || String(s.uid);
  const group = (!o.numeric && o.ids.group(s.gid)) || String(s.gid);
  let size: string;
  if (s.isCharacterDevice() || s.isBlockDevice()) {
    const [major, minor] = majorMinor(s.rdev);
    size = `${String(major).padStart(4)}, ${String(minor).padStart(3)}`;
  } else {
    // busybox: %9llu, or %7s for -h.
    size = o.human ? humanSize(s.size).padStart(7) : String(s.size).padStart(9);
  }
  const link = entry.target !== undefined ? ` -> ${entry.target}` : '';
  // busybox prints "%-8.8s %-8.8s": names are cut at 8 characters.
  return `${modeString(s.mode)} ${String(s.nlink).padStart(4)} ${user.slice(0, 8).padEnd(8)} ${group.slice(0, 8).padEnd(8)} ${size} ${lsDate(s.mtime, o.now)} ${shownName}${link}`;
}

/** GNU dircolors defaults for the common types. */
export function colourCode(entry: Entry): string | undefined {
  const s = entry.stats;
  if (s.isSymbolicLink()) return entry.targetStats === null ? '40;31;01' : '01;36';
  if (s.isDirectory()) return (s.mode & 0o1002) === 0o1002 ? '30;42' : '01;34';
  if (s.isFIFO()) return '40;33';
  if (s.isSocket()) return '01;35';
  if (s.isBlockDevice() || s.isCharacterDevice()) return '40;33;01';
  if (s.mode & 0o4000) return '37;41';
  if (s.mode & 0o111) return '01;32';
  return undefined;
}

/** ls -F classification mark. */
export function classifyMark(entry: Entry): string {
  const s = entry.stats;
  if (s.isDirectory()) return '/';
  if (s.isSymbolicLink()) return '@';
  if (s.isFIFO()) return '|';
  if (s.isSocket()) return '=';
  if (s.mode & 0o111) return '*';
  return '';
}

/** On a terminal, control characters in names print as `?` (ls -q, the tty default). */
export function printableName(name: string, tty: boolean): string {
  // eslint-disable-next-line no-control-regex
  return tty ? name.replace(/[\x00-\x1f\x7f]/g, '?') : name;
}
