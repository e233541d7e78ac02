// The `ls -l` date, shared by ls and SFTP's long names.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SIX_MONTHS_MS = (365.2425 / 2) * 24 * 3600 * 1000;

/** ls -l date: `Nov 27 10:01` within six months of now, else `Jan  2  2020` (local time). */
export function lsDate(mtime: Date, now: Date = new Date()): string {
  const month = MONTHS[mtime.getMonth()]!;
  const day = String(mtime.getDate()).padStart(2);
  const age = now.getTime() - mtime.getTime();
  if (age >= 0 && age < SIX_MONTHS_MS) {
    const hh = String(mtime.getHours()).padStart(2, '0');
    const mm = String(mtime.getMinutes()).padStart(2, '0');
    return `${month} ${day} ${hh}:${mm}`;
  }
  return `${month} ${day}  ${mtime.getFullYear()}`;
}
