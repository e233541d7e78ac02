import { describe, expect, it } from 'vitest';
import { describeOffer, formatSeconds, parseSessionList, pickDetached } from './session-offer.js';
import type { SessionSummary } from './session-offer.js';

const session = (id: string, over: Partial<SessionSummary> = {}): SessionSummary => ({ id, state: 'detached', idle_seconds: 60, command: 'sh', yours: true, ...over });

describe('parseSessionList', () => {
  it('reads `sessions --json` (extra fields allowed)', () => {
    const text = JSON.stringify([{ id: '3', key: 'SHA256:x', comment: 'me', started: '2026-12-07T01:00:00.000Z', state: 'detached', idle_seconds: 252, command: 'tail -f /x', current: false, yours: true }]);
    expect(parseSessionList(text)).toEqual([{ id: '3', state: 'detached', idle_seconds: 252, command: 'tail -f /x', yours: true }]);
  });

  it('is undefined for anything that is not the list (another server, an error text)', () => {
    expect(parseSessionList('sh: sessions: not found\n')).toBeUndefined();
    expect(parseSessionList('{"id":"1"}')).toBeUndefined();
    expect(parseSessionList('[{"id":"1","state":"gone","idle_seconds":0,"command":"sh","yours":true}]')).toBeUndefined();
    expect(parseSessionList('')).toBeUndefined();
  });
});

describe('pickDetached', () => {
  it('offers the key’s most recently active detached session, and names the others', () => {
    const list = [session('1', { idle_seconds: 900 }), session('2', { idle_seconds: 30 }), session('3', { state: 'attached', idle_seconds: 0 }), session('4', { yours: false, idle_seconds: 1 }), session('5', { idle_seconds: 300 })];
    const offer = pickDetached(list)!;
    expect(offer.session.id).toBe('2');
    expect(offer.others.map((s) => s.id)).toEqual(['5', '1']);
  });

  it('offers nothing when no detached session is the key’s', () => {
    expect(pickDetached([session('1', { yours: false }), session('2', { state: 'attached' })])).toBeUndefined();
    expect(pickDetached([])).toBeUndefined();
  });
});

describe('describeOffer', () => {
  it('says what is reattached and how to get a fresh shell instead', () => {
    expect(describeOffer({ session: session('2', { idle_seconds: 252, command: 'tail -f /var/log/app' }), others: [session('5'), session('1')] }, 'pi')).toBe(
      'attaching to your detached session 2 (idle 4m12s, running tail -f /var/log/app); also detached: 5, 1 (ssh -t pi attach ID); breakglass --new pi opens a fresh shell',
    );
  });
});

describe('formatSeconds', () => {
  it.each([
    [0, '0s'],
    [59.9, '59s'],
    [60, '1m00s'],
    [252, '4m12s'],
    [900, '15m00s'],
    [7380, '2h03m'],
  ])('%d → %s', (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });
});
