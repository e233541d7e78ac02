// `--max-startups`: a cap on concurrent unauthenticated connections, overall and per
// source address. A connection holds a slot from accept until it authenticates or closes.
//
// Past the per-source cap a new connection is refused. Past the overall cap it is not:
// sshd's MaxStartups refuses (or randomly drops) newcomers, so ten silent sockets lock
// every engineer out for a whole login grace time. Here the newcomer takes the slot of
// the oldest pending connection from the source holding the most slots, so a flood
// from a few addresses cannot keep a legitimate client out and a client that is
// actually talking finishes its login in far less time than a flooder waits.
export const PER_SOURCE_STARTUPS = 3;

interface Slot {
  source: string;
  seq: number;
  held: boolean;
  evict: (reason: string) => void;
}

export type Admission = { ok: true; release: () => void } | { ok: false; reason: string };

export class StartupLimiter {
  private total = 0;
  private seq = 0;
  private readonly bySource = new Map<string, Slot[]>();

  constructor(
    private readonly maxTotal: number,
    private readonly maxPerSource: number = PER_SOURCE_STARTUPS,
  ) {}

  /**
   * Takes a slot, or returns why not (for the log). When the overall cap is reached,
   * `evict` of the connection that gives up its slot is called first, with the reason.
   */
  tryAcquire(source: string, evict: (reason: string) => void = () => undefined): Admission {
    const fromSource = this.bySource.get(source)?.length ?? 0;
    if (fromSource >= this.maxPerSource) return { ok: false, reason: `${fromSource} unauthenticated connections from ${source} (limit ${this.maxPerSource})` };
    if (this.total >= this.maxTotal) {
      const victim = this.victim();
      if (!victim) return { ok: false, reason: `${this.total} unauthenticated connections (--max-startups ${this.maxTotal})` };
      const held = this.bySource.get(victim.source)!.length;
      this.free(victim);
      victim.evict(`${this.maxTotal} unauthenticated connections (--max-startups ${this.maxTotal}): made room for ${source}; ${victim.source} held ${held}`);
    }
    const slot: Slot = { source, seq: this.seq++, held: true, evict };
    this.bySource.set(source, [...(this.bySource.get(source) ?? []), slot]);
    this.total++;
    return { ok: true, release: () => this.free(slot) };
  }

  /** The oldest slot of the source holding the most. */
  private victim(): Slot | undefined {
    let best: Slot | undefined;
    let bestCount = 0;
    for (const slots of this.bySource.values()) {
      const oldest = slots[0];
      if (!oldest) continue;
      if (slots.length > bestCount || (slots.length === bestCount && oldest.seq < best!.seq)) {
        best = oldest;
        bestCount = slots.length;
      }
    }
    return best;
  }

  private free(slot: Slot): void {
    if (!slot.held) return;
    slot.held = false;
    this.total--;
    const rest = (this.bySource.get(slot.source) ?? []).filter((s) => s !== slot);
    if (rest.length) this.bySource.set(slot.source, rest);
    else this.bySource.delete(slot.source);
  }

  get pending(): number {
    return this.total;
  }
}
