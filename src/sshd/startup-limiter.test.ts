import { describe, expect, it } from 'vitest';
import { StartupLimiter } from './startup-limiter.js';
import type { Admission } from './startup-limiter.js';

const released = (a: Admission): (() => void) => {
  if (!a.ok) throw new Error(a.reason);
  return a.release;
};

describe('StartupLimiter', () => {
  it('refuses a 4th pending connection from one source; frees slots on release', () => {
    const limiter = new StartupLimiter(5);
    const slots = [1, 2, 3].map(() => released(limiter.tryAcquire('10.0.0.1')));
    expect(limiter.tryAcquire('10.0.0.1')).toMatchObject({ ok: false, reason: /3 unauthenticated connections from 10.0.0.1 \(limit 3\)/ });
    slots[0]!();
    slots[0]!(); // twice is once
    expect(limiter.pending).toBe(2);
    expect(limiter.tryAcquire('10.0.0.1').ok).toBe(true);
  });

  it('past the overall cap, evicts the oldest connection of the source holding the most', () => {
    const limiter = new StartupLimiter(4);
    const evicted: string[] = [];
    const take = (source: string, name: string): Admission => limiter.tryAcquire(source, (reason) => evicted.push(`${name}: ${reason}`));
    take('10.0.0.1', 'a1');
    take('10.0.0.2', 'b1');
    take('10.0.0.1', 'a2');
    take('10.0.0.3', 'c1');
    expect(take('10.0.0.9', 'legit').ok).toBe(true);
    expect(evicted).toEqual(['a1: 4 unauthenticated connections (--max-startups 4): made room for 10.0.0.9; 10.0.0.1 held 2']);
    expect(limiter.pending).toBe(4);
    // Now every source holds one: the oldest overall (b1) goes next.
    expect(take('10.0.0.8', 'next').ok).toBe(true);
    expect(evicted.at(-1)).toMatch(/^b1: /);
  });

  it('an evicted slot released again by its connection does not free a second slot', () => {
    const limiter = new StartupLimiter(1);
    const first = released(limiter.tryAcquire('10.0.0.1'));
    expect(limiter.tryAcquire('10.0.0.2').ok).toBe(true);
    first();
    expect(limiter.pending).toBe(1);
  });
});
