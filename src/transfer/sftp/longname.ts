// The `ls -l` line an SFTP server sends with each READDIR name (filexfer-02 §7:
// "longname … should be in the format of ls -l"); OpenSSH's `sftp ls -l` prints it
// as is. Layout as OpenSSH's ls_file(): "%s %3u %-8s %-8s %8llu %s %s".
import type { Stats } from 'node:fs';
import { lsDate, modeString } from '../../os/index.js';
import type { IdNames } from '../../os/index.js';

export function longname(name: string, st: Stats, ids: IdNames, now: Date = new Date()): string {
  const user = ids.user(st.uid) ?? String(st.uid);
  const group = ids.group(st.gid) ?? String(st.gid);
  return `${modeString(st.mode)} ${String(st.nlink).padStart(3)} ${user.padEnd(8)} ${group.padEnd(8)} ${String(st.size).padStart(8)} ${lsDate(st.mtime, now)} ${name}`;
}
