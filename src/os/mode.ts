// File modes: `ls -l` strings (`drwxr-sr-t`) and chmod(1) mode parsing — octal, or
// symbolic clauses `[ugoa]*[-+=][rwxXstugo]*` joined by commas — as pure functions.
import { constants } from 'node:fs';
import { readFile } from 'node:fs/promises';

const TYPE_CHARS: Array<[number, string]> = [
  [constants.S_IFDIR, 'd'],
  [constants.S_IFLNK, 'l'],
  [constants.S_IFCHR, 'c'],
  [constants.S_IFBLK, 'b'],
  [constants.S_IFIFO, 'p'],
  [constants.S_IFSOCK, 's'],
  [constants.S_IFREG, '-'],
];

export function typeChar(mode: number): string {
  const type = mode & constants.S_IFMT;
  return TYPE_CHARS.find(([bits]) => bits === type)?.[1] ?? '?';
}

/** `-rwsr-xr-t` as ls -l prints it. */
export function modeString(mode: number): string {
  const triple = (bits: number, special: boolean, setChar: string): string => {
    const x = bits & 1;
    const exec = special ? (x ? setChar : setChar.toUpperCase()) : x ? 'x' : '-';
    return `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${exec}`;
  };
  return (
    typeChar(mode) +
    triple((mode >> 6) & 7, (mode & 0o4000) !== 0, 's') +
    triple((mode >> 3) & 7, (mode & 0o2000) !== 0, 's') +
    triple(mode & 7, (mode & 0o1000) !== 0, 't')
  );
}

/** A parsed mode: applied to each file's current mode (symbolic modes depend on it). */
export type ModeChange = (current: number, isDir: boolean) => number;

const WHO_BITS: Record<string, number> = { u: 0o4700, g: 0o2070, o: 0o1007, a: 0o7777 };

/** Parses a chmod MODE; undefined when invalid. `umask` applies when no who is given. */
export function parseMode(text: string, umask: number): ModeChange | undefined {
  if (/^[0-7]+$/.test(text)) {
    if (text.length > 5) return undefined;
    const value = Number.parseInt(text, 8);
    if (value > 0o7777) return undefined;
    // GNU: a directory keeps its setuid/setgid bits unless 5 digits say otherwise.
    return (current, isDir) => (isDir && text.length < 5 ? value | (current & 0o6000) : value);
  }
  const clauses: ModeChange[] = [];
  for (const clause of text.split(',')) {
    const m = /^([ugoa]*)((?:[-+=](?:[rwxXst]*|[ugo]))+)$/.exec(clause);
    if (!m) return undefined;
    const who = m[1]!;
    const whoMask = who === '' ? 0o7777 : [...who].reduce((acc, c) => acc | WHO_BITS[c]!, 0);
    const omit = who === '' ? umask : 0;
    const actions = [...m[2]!.matchAll(/([-+=])([ugo]|[rwxXst]*)/g)].map((a) => ({ op: a[1]!, perms: a[2]! }));
    clauses.push((current, isDir) => {
      let mode = current;
      for (const { op, perms } of actions) {
        let value = 0;
        if (/^[ugo]$/.test(perms)) {
          const shift = perms === 'u' ? 6 : perms === 'g' ? 3 : 0;
          const bits = (mode >> shift) & 7;
          value = (bits << 6) | (bits << 3) | bits;
        } else {
          for (const p of perms) {
            if (p === 'r') value |= 0o444;
            else if (p === 'w') value |= 0o222;
            else if (p === 'x') value |= 0o111;
            else if (p === 'X' && (isDir || (mode & 0o111) !== 0)) value |= 0o111;
            else if (p === 's') value |= 0o6000;
            else if (p === 't') value |= 0o1000;
          }
        }
        value &= whoMask & ~omit;
        if (op === '+') mode |= value;
        else if (op === '-') mode &= ~value;
        else {
          // `=`: the named classes get exactly value; a directory keeps setuid/setgid
          // unless `s` was named (GNU chmod).
          const keep = isDir && !perms.includes('s') ? whoMask & 0o6000 : 0;
          mode = (mode & (~whoMask | keep)) | value;
        }
      }
      return mode & 0o7777;
    });
  }
  return (current, isDir) => clauses.reduce((mode, clause) => clause(mode, isDir), current & 0o7777);
}

/** The process umask, read from /proc (process.umask() without an argument is deprecated). */
export async function currentUmask(procRoot = '/proc'): Promise<number> {
  const status = await readFile(`${procRoot}/self/status`, 'utf8').catch(() => '');
  const m = /^Umask:\s*([0-7]+)/m.exec(status);
  return m ? Number.parseInt(m[1]!, 8) : 0o022;
}
