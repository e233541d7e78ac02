// /etc/passwd (passwd(5)) → uid → name. Appliances often have no /etc/passwd at all; then
// uid 0 is still "root" and every other uid is shown as a number, as busybox does.

export type UserNames = Map<number, string>;

export function parsePasswd(text: string): UserNames {
  const names: UserNames = new Map();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const [name, , uid] = line.split(':');
    const n = Number(uid);
    if (name && uid !== undefined && uid !== '' && Number.isInteger(n) && !names.has(n)) names.set(n, name);
  }
  return names;
}

export function userName(names: UserNames, uid: number): string {
  return names.get(uid) ?? (uid === 0 ? 'root' : String(uid));
}
