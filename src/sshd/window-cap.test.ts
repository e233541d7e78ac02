import { describe, expect, it } from 'vitest';
import { AuthRoundTrip, MIN_IN_FLIGHT, sessionWindowCap } from './window-cap.js';

const MiB = 1024 * 1024;

describe('sessionWindowCap', () => {
  it('keeps 512 KiB in flight on loopback and LANs (the client stays fast)', () => {
    expect(sessionWindowCap(2 * MiB, 0.2)).toBe(MIN_IN_FLIGHT);
    expect(sessionWindowCap(2 * MiB, 4)).toBe(MIN_IN_FLIGHT);
  });

  it('grows with the round trip so a long link still carries ~100 MB/s', () => {
    expect(sessionWindowCap(2 * MiB, 8)).toBe(800_000);
    expect(sessionWindowCap(2 * MiB, 8) / 0.008).toBeGreaterThanOrEqual(100e6);
  });

  it('never exceeds the earlier rule (half the window, at least 1 MiB) nor the window', () => {
    expect(sessionWindowCap(2 * MiB, 80)).toBe(1 * MiB);
    expect(sessionWindowCap(16 * MiB, 100)).toBe(8 * MiB);
    expect(sessionWindowCap(16 * MiB, 40)).toBe(4_000_000);
    expect(sessionWindowCap(24 * 1024, 80)).toBe(24 * 1024); // Dropbear's small window
    expect(sessionWindowCap(24 * 1024, 0.1)).toBe(24 * 1024);
  });

  it('falls back to the earlier rule when no round trip was seen', () => {
    expect(sessionWindowCap(2 * MiB, undefined)).toBe(1 * MiB);
    expect(sessionWindowCap(16 * MiB, undefined)).toBe(8 * MiB);
    expect(sessionWindowCap(2 * MiB, Number.NaN)).toBe(1 * MiB);
    expect(sessionWindowCap(512 * 1024, undefined)).toBe(512 * 1024);
  });
});

describe('AuthRoundTrip', () => {
  const clock = (...ms: number[]) => {
    const times = ms.map((t) => BigInt(t * 1e6));
    return () => times.shift() ?? 0n;
  };

  it('measures from the answered query to the signed request', () => {
    const rtt = new AuthRoundTrip(clock(100, 112.5));
    rtt.queryAnswered();
    rtt.signedRequest();
    expect(rtt.ms).toBe(12.5);
  });

  it('knows nothing when the client signed without asking first', () => {
    const rtt = new AuthRoundTrip(clock(100));
    rtt.signedRequest();
    expect(rtt.ms).toBeUndefined();
  });

  it('keeps the first measurement (a second key tried later does not change it)', () => {
    const rtt = new AuthRoundTrip(clock(0, 2, 50, 9000));
    rtt.queryAnswered();
    rtt.signedRequest();
    rtt.queryAnswered();
    rtt.signedRequest();
    expect(rtt.ms).toBe(2);
  });
});
