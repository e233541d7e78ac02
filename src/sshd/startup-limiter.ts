// `--max-startups`: a cap on concurrent unauthenticated connections, overall and per
// source address (like sshd's MaxStartups, but a hard limit rather than random early
// drop). A connection holds a slot from accept until it authenticates or closes.
export const PER_SOURCE_STARTUPS = 3;

export class StartupLimiter {
  private total = 0;
  private readonly bySource = new Map<string, number>();

  constructor(
    private readonly maxTotal: number,
    private readonly maxPerSource: number = PER_SOURCE_STARTUPS,
  ) {}

  /** Takes a slot, or returns why not (for the log). */
  tryAcquire(source: string): { ok: true } | { ok: false; reason: string } {
    const fromSource = this.bySource.get(source) ?? 0;
    if (this.total >= this.maxTotal) return { ok: false, reason: `${this.total} unauthenticated connections (--max-startups ${this.maxTotal})` };
    if (fromSource >= this.maxPerSource) return { ok: false, reason: `${fromSource} unauthenticated connections from ${source} (limit ${this.maxPerSource})` };
    this.total++;
    this.bySource.set(source, fromSource + 1);
    return { ok: true };
  }

  release(source: string): void {
    const fromSource = this.bySource.get(source) ?? 0;
    if (fromSource === 0) return;
    this.total--;
    if (fromSource === 1) this.bySource.delete(source);
    else this.bySource.set(source, fromSource - 1);
  }

  get pending(): number {
    return this.total;
  }
}
