import { describe, expect, it } from 'vitest';
import { runLimited } from './fleet-limit.js';

/** Work items that finish only when the test releases them, counting how many run at once. */
function gate(): { work: (n: number) => Promise<number>; running: () => number; maxRunning: () => number; releaseOne: () => boolean } {
  const waiting: Array<() => void> = [];
  let running = 0;
  let max = 0;
  return {
    work: (n) => {
      running++;
      max = Math.max(max, running);
      return new Promise((resolve) => waiting.push(() => {
        running--;
        resolve(n * 10);
      }));
    },
    running: () => running,
    maxRunning: () => max,
    releaseOne: () => {
      const release = waiting.shift();
      release?.();
      return release !== undefined;
    },
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('runLimited', () => {
  it.each([[1], [2], [3], [8]])('runs at most %i at a time, as many as allowed, in input order', async (limit) => {
    const g = gate();
    const items = [1, 2, 3, 4, 5];
    const done = runLimited(items, limit, g.work, () => -1);
    await settle();
    expect(g.running()).toBe(Math.min(limit, items.length));
    for (let i = 0; i < 20 && g.releaseOne(); i++) await settle();
    expect(await done).toEqual([10, 20, 30, 40, 50]);
    expect(g.maxRunning()).toBe(Math.min(limit, items.length));
  });

  it('starts nothing new once stopped, and reports the rest as skipped', async () => {
    const g = gate();
    let stop = false;
    const done = runLimited([1, 2, 3, 4], 2, g.work, (n) => -n, () => stop);
    await settle();
    stop = true;
    g.releaseOne();
    g.releaseOne();
    expect(await done).toEqual([10, 20, -3, -4]);
  });

  it('handles an empty list', async () => {
    expect(await runLimited([], 4, async () => 1, () => 0)).toEqual([]);
  });
});
