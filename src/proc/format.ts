// Pure text formatting shared by the inspection built-ins: CPU times, elapsed times and
// start dates as procps prints them, and sizes as procps `free -h` prints them.

/** `[DD-]HH:MM:SS` (procps `time`, `ps -ef` TIME). */
export function formatCpuTime(seconds: number): string {
  const s = Math.floor(seconds);
  const days = Math.floor(s / 86400);
  const hh = String(Math.floor((s % 86400) / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${days > 0 ? `${days}-` : ''}${hh}:${mm}:${ss}`;
}

/** `M:SS` with unbounded minutes (BSD `ps aux` TIME, busybox TIME). */
export function formatBsdTime(seconds: number): string {
  const s = Math.floor(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** `[[DD-]hh:]mm:ss` (procps `etime`). */
export function formatElapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  if (days > 0) return `${days}-${String(hours).padStart(2, '0')}:${mm}:${ss}`;
  if (hours > 0) return `${String(hours).padStart(2, '0')}:${mm}:${ss}`;
  return `${mm}:${ss}`;
}

/** top's `TIME+`: `M:SS.hh` from clock ticks (hundredths). */
export function formatTopTime(ticks: number, ticksPerSecond = 100): string {
  const hundredths = Math.floor((ticks * 100) / ticksPerSecond);
  const totalSeconds = Math.floor(hundredths / 100);
  return `${Math.floor(totalSeconds / 60)}:${String(totalSeconds % 60).padStart(2, '0')}.${String(hundredths % 100).padStart(2, '0')}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const MONTH_NAMES = MONTHS;
export const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * procps START/STIME: `HH:MM` when started in the last 24 hours, `MonDD` within the
 * year, else the year. Local time of the server process (TZ).
 */
export function formatStart(startMs: number, nowMs: number): string {
  const d = new Date(startMs);
  if (nowMs - startMs < 86_400_000) {
    return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  }
  if (nowMs - startMs < 365 * 86_400_000) return `${MONTHS[d.getMonth()]}${String(d.getDate()).padStart(2, '0')}`;
  return String(d.getFullYear());
}

/**
 * procps-ng `free -h`: the shortest of `%.1f` / `%ld` with a unit (B, Ki, Mi, …) that
 * fits in 4–5 characters (free.c scale_size()).
 */
export function formatFreeHuman(bytes: number, si = false): string {
  const base = si ? 1000 : 1024;
  const units = ['B', 'K', 'M', 'G', 'T', 'P'];
  if (String(bytes).length + 1 <= 4) return `${bytes}B`;
  for (let i = 1; i < units.length; i++) {
    const value = bytes / base ** i;
    const suffix = si ? units[i]! : `${units[i]}i`;
    const limit = si ? 4 : 5;
    const oneDecimal = `${value.toFixed(1)}${suffix}`;
    if (oneDecimal.length <= limit) return oneDecimal;
    const whole = `${Math.trunc(value)}${suffix}`;
    if (whole.length <= limit) return whole;
  }
  return `${Math.trunc(bytes / base ** (units.length - 1))}${si ? 'P' : 'Pi'}`;
}

/** Right-align (numbers) or left-align (text) into a column; never truncates. */
export function pad(text: string, width: number, left = false): string {
  return left ? text.padEnd(width) : text.padStart(width);
}
