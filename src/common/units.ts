// Parsers for human-typed durations (`30s`, `1m30s`, `500ms`, Go's time.ParseDuration
// style, or bare seconds) and sizes (`500M`, `1G`, binary multiples, or bare bytes).
import { UsageError } from './errors.js';

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds for `30s`, `1m30s`, `250ms`, `2h`, or `10` (seconds). */
export function parseDuration(text: string, what = 'duration'): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = part.exec(trimmed); m; m = part.exec(trimmed)) {
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    consumed = part.lastIndex;
  }
  if (consumed === 0 || consumed !== trimmed.length) {
    throw new UsageError(`${what}: ${JSON.stringify(text)} is not a duration (use e.g. 30s, 5m, 1h30m, 500ms)`);
  }
  return Math.round(total);
}

const SIZE_UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** Bytes for `500M`, `1G`, `64K`, `1.5G`, `123` (also `500MiB`, `500MB` as binary). */
export function parseSize(text: string, what = 'size'): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(text.trim());
  if (!m) throw new UsageError(`${what}: ${JSON.stringify(text)} is not a size (use e.g. 500M, 1G, 64K)`);
  return Math.floor(Number(m[1]) * SIZE_UNITS[m[2]!.toUpperCase()]!);
}

/** `1.5M`-style rendering like `ls -h`/`df -h` (powers of 1024, one decimal below 10). */
export function formatSize(bytes: number): string {
  const units = ['', 'K', 'M', 'G', 'T', 'P'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return String(bytes);
  // Round up like GNU/busybox -h; 9.96K rounds to 10.0, which they print as 10K.
  const tenths = Math.ceil(value * 10) / 10;
  const text = tenths < 10 ? tenths.toFixed(1) : String(Math.ceil(value));
  return `${text}${units[unit]}`;
}
