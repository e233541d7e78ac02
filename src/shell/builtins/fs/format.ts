// Number and time layouts of ls, du and stat (ls -l's date is src/os/format.ts lsDate).

/**
 * busybox's make_human_readable_str: bytes below 1024 as an integer, otherwise one
 * decimal and a K/M/G/T suffix (`4.0K`, `94.3M`, `1024.0K` for 1048575).
 * Kept apart from common/units.ts formatSize (df -h, GNU-style `10K` for 10199): ls/du -h print `10.0K`.
 */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return String(bytes);
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E'];
  let value = Math.floor(bytes);
  let unit = 0;
  let frac = 0;
  while (value >= 1024 && unit < units.length - 1) {
    frac = Math.floor(((value % 1024) * 10 + 512) / 1024);
    value = Math.floor(value / 1024);
    unit++;
  }
  if (frac >= 10) {
    value++;
    frac = 0;
  }
  return `${value}.${frac}${units[unit]}`;
}

/** `+0100` for a Date's local offset. */
function zone(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** stat's `2026-11-27 09:02:39.971589814 +0000` from nanoseconds since the epoch. */
export function statTime(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const d = new Date(ms);
  const nanos = String(((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n).padStart(9, '0');
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${nanos} ${zone(d)}`;
}
