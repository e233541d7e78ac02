// Which detached session `breakglass HOST` offers before opening a fresh shell: the
// server's `sessions --json`, filtered to what this key may attach to. Pure.
import { z } from 'zod';

const Listing = z.array(
  z.object({
    id: z.string(),
    state: z.enum(['attached', 'detached']),
    idle_seconds: z.number(),
    command: z.string(),
    yours: z.boolean(),
  }),
);

export type SessionSummary = z.infer<typeof Listing>[number];

/** The server's list, or undefined when it did not answer with one (not breakglassd, or too old). */
export function parseSessionList(stdout: string): SessionSummary[] | undefined {
  try {
    const parsed = Listing.safeParse(JSON.parse(stdout));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface Offer {
  /** The session to attach to: the key's most recently active detached one. */
  session: SessionSummary;
  /** Other detached sessions of the key, newest first. */
  others: SessionSummary[];
}

export function pickDetached(list: readonly SessionSummary[]): Offer | undefined {
  const mine = list.filter((s) => s.yours && s.state === 'detached').sort((a, b) => a.idle_seconds - b.idle_seconds);
  const [session, ...others] = mine;
  return session ? { session, others } : undefined;
}

/** `4m12s`, `45s`, `2h03m`. */
export function formatSeconds(total: number): string {
  const s = Math.max(0, Math.floor(total));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function describeOffer(offer: Offer, host: string): string {
  const { session, others } = offer;
  const more = others.length > 0 ? `; also detached: ${others.map((s) => s.id).join(', ')} (ssh -t ${host} attach ID)` : '';
  return `attaching to your detached session ${session.id} (idle ${formatSeconds(session.idle_seconds)}, running ${session.command})${more}; breakglass --new ${host} opens a fresh shell`;
}
