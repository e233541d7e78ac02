// Retry delays: a crashing service's restarts (init) and the client's reconnects. The
// first delay after a failure, doubling up to a cap, and back to the first once a run
// lasted long enough to count as stable. Pure: tested without processes or clocks.

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** A run at least this long resets the failure count. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 30_000, stableMs: 60_000 };

/** Failures in a row after a run of `ranForMs` that ended in failure. */
export function nextFailureCount(previousFailures: number, ranForMs: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  return ranForMs >= policy.stableMs ? 1 : previousFailures + 1;
}

/** Delay before restart number `failures` (1-based). */
export function restartDelayMs(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exponent = Math.max(0, failures - 1);
  return Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(exponent, 30));
}
