// Signal names and numbers as `kill -l` and exit statuses (128+N) use them.
import { constants } from 'node:os';

const BY_NAME = constants.signals as Record<string, number>;

/** Number → name without `SIG`, sorted by number (the first name wins for duplicates). */
export function signalList(): Array<{ number: number; name: string }> {
  const seen = new Map<number, string>();
  for (const [name, number] of Object.entries(BY_NAME)) {
    if (!seen.has(number)) seen.set(number, name.replace(/^SIG/, ''));
  }
  return [...seen].map(([number, name]) => ({ number, name })).sort((a, b) => a.number - b.number);
}

/** `TERM`, `SIGTERM`, `term`, `15` → 15; undefined when unknown. */
export function signalNumber(spec: string): number | undefined {
  if (/^\d+$/.test(spec)) {
    const n = Number(spec);
    return signalList().some((s) => s.number === n) || n === 0 ? n : undefined;
  }
  const upper = spec.toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return BY_NAME[name];
}

/** 15 → `TERM`. */
export function signalName(number: number): string | undefined {
  return signalList().find((s) => s.number === number)?.name;
}

/** Node's `SIGTERM` → { code: 143, signal: 'TERM' }. */
export function statusOfSignal(signal: NodeJS.Signals | string): { code: number; signal: string } {
  const n = signalNumber(signal) ?? 0;
  return { code: 128 + n, signal: signal.replace(/^SIG/, '') };
}
