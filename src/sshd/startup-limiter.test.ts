import { describe, expect, it } from 'vitest';
import { StartupLimiter } from './startup-limiter.js';

describe('StartupLimiter', () => {
  it('caps connections per source at 3 and overall at the limit, and frees slots on release', () => {
    const limiter = new StartupLimiter(5);
    expect([1, 2, 3].map(() => limiter.tryAcquire('10.0.0.1').ok)).toEqual([true, true, true]);
    expect(limiter.tryAcquire('10.0.0.1')).toMatchObject({ ok: false, reason: /from 10.0.0.1/ });
    expect(limiter.tryAcquire('10.0.0.2').ok).toBe(true);
    expect(limiter.tryAcquire('10.0.0.3').ok).toBe(true);
    expect(limiter.tryAcquire('10.0.0.4')).toMatchObject({ ok: false, reason: /--max-startups 5/ });
    limiter.release('10.0.0.1');
    expect(limiter.pending).toBe(4);
    expect(limiter.tryAcquire('10.0.0.1').ok).toBe(true);
  });

  it('ignores a release for a source that holds nothing', () => {
    const limiter = new StartupLimiter(2);
    limiter.release('10.9.9.9');
    expect(limiter.pending).toBe(0);
    expect(limiter.tryAcquire('10.0.0.1').ok).toBe(true);
  });
});
