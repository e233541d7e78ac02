import { describe, expect, it } from 'vitest';
import { nextFailureCount, restartDelayMs } from './backoff.js';

describe('restart backoff', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [5, 16_000],
    [6, 30_000],
    [60, 30_000],
  ])('failure %i waits %i ms', (failures, delay) => {
    expect(restartDelayMs(failures)).toBe(delay);
  });

  it('counts quick failures and resets after a stable minute', () => {
    expect(nextFailureCount(0, 200)).toBe(1);
    expect(nextFailureCount(4, 59_000)).toBe(5);
    expect(nextFailureCount(4, 60_000)).toBe(1);
  });
});
