// How much of a session channel's window breakglassd fills before waiting for the client's
// window adjusts (applied to ssh2 by a patch, scripts/ssh2-patches.mjs).
//
// OpenSSH's client holds what it has received but not yet passed on to sftp/scp in a
// buffer it compacts with memmove on every append, so a server that fills the client's
// whole 2 MiB window makes the client the slow side (BENCHMARKS.md analysis 5a, 13): on
// loopback, downloads ran 10-25 % faster with 512 KiB in flight than with 1 MiB in three
// of four A/B runs (10 % slower in one), and far faster than with the whole window. On a
// long link the amount in flight caps the rate at cap / round trip, so the cap grows with
// the round trip measured during authentication:
// never less than what the link needs to carry LINK_RATE, never more than the earlier
// rule (half the client's window, at least 1 MiB), never more than the window.

/** The rate a link should reach before the cap holds it back (about a gigabit). */
export const LINK_RATE_BYTES_PER_S = 100e6;
/** In flight on a link with (next to) no round trip, such as loopback or a LAN. */
export const MIN_IN_FLIGHT = 512 * 1024;

/**
 * Bytes in flight for a channel whose client offered `clientWindow`; `rttMs` is the round
 * trip seen while authenticating, undefined when none was seen (then the earlier rule).
 */
export function sessionWindowCap(clientWindow: number, rttMs: number | undefined): number {
  const halfOrMiB = Math.max(1024 * 1024, Math.floor(clientWindow / 2));
  if (rttMs === undefined || !Number.isFinite(rttMs) || rttMs < 0) return Math.min(clientWindow, halfOrMiB);
  const needed = Math.ceil((rttMs / 1000) * LINK_RATE_BYTES_PER_S);
  return Math.min(clientWindow, halfOrMiB, Math.max(MIN_IN_FLIGHT, needed));
}

/**
 * The round trip seen while a client authenticates: from answering its public-key query
 * "ok" (SSH_MSG_USERAUTH_PK_OK) to the signed request that follows. It includes the
 * client's signing (milliseconds with an agent, seconds with a touch key), so it errs
 * long, which only makes the cap larger. Only the first such pair counts.
 */
export class AuthRoundTrip {
  private answeredAt: bigint | undefined;
  private measured: number | undefined;

  constructor(private readonly now: () => bigint = process.hrtime.bigint) {}

  /** A query (a key without a signature) was just answered "ok". */
  queryAnswered(): void {
    if (this.measured === undefined) this.answeredAt = this.now();
  }

  /** A signed public-key request arrived. */
  signedRequest(): void {
    if (this.measured !== undefined || this.answeredAt === undefined) return;
    this.measured = Number(this.now() - this.answeredAt) / 1e6;
  }

  /** Milliseconds, or undefined when no query was answered before a signed request. */
  get ms(): number | undefined {
    return this.measured;
  }
}
