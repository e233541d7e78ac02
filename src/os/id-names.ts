// User and group names for ls -l / stat, from /etc/passwd and /etc/group (often absent
// on an appliance: then the number is shown, as ls does).
import { readFile } from 'node:fs/promises';

export interface IdNames {
  user(uid: number): string | undefined;
  group(gid: number): string | undefined;
  /** Name → id (find -user/-group); absent on stubs. */
  id?(kind: 'user' | 'group', name: string): number | undefined;
}

/** `name:x:uid:…` lines → uid → name (first entry wins, as getpwuid does). */
export function parseIdFile(text: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (!name || id === undefined || !/^\d+$/.test(id)) continue;
    const n = Number(id);
    if (!map.has(n)) map.set(n, name);
  }
  return map;
}

/** What loadIdNames reads with: node:fs/promises, or a shell session's FileSystem. */
export interface TextReader {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
}

const NODE_READER: TextReader = { readFile: (path, encoding) => readFile(path, encoding) };

export async function loadIdNames(etc = '/etc', reader: TextReader = NODE_READER): Promise<IdNames> {
  const read = (file: string): Promise<string> => reader.readFile(`${etc}/${file}`, 'utf8').catch(() => '');
  const [users, groups] = await Promise.all([read('passwd').then(parseIdFile), read('group').then(parseIdFile)]);
  const byName = (map: Map<number, string>, name: string): number | undefined => [...map].find(([, n]) => n === name)?.[0];
  return {
    user: (uid) => users.get(uid),
    group: (gid) => groups.get(gid),
    id: (kind, name) => byName(kind === 'user' ? users : groups, name),
  };
}
