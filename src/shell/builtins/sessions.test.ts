import { describe, expect, it } from 'vitest';
import { formatIdle, formatSessions } from './sessions.js';

describe('formatIdle', () => {
  it.each([
    [0, '0s'],
    [59_999, '59s'],
    [60_000, '1m'],
    [3_599_000, '59m'],
    [3_600_000 + 5 * 60_000, '1h05m'],
    [26 * 3_600_000, '1d02h'],
  ])('%d ms → %s', (ms, text) => expect(formatIdle(ms)).toBe(text));
});

describe('formatSessions', () => {
  it('aligns columns, marks the current session and falls back to the fingerprint', () => {
    const now = new Date(2026, 11, 6, 12, 0, 0);
    const started = new Date(2026, 11, 6, 9, 5, 7).getTime();
    const lines = formatSessions(
      [
        { id: '1', key: 'SHA256:abc', comment: 'alice@laptop', started, state: 'detached', idleMs: 125_000, command: 'tail -f /var/log/app', current: false, yours: true },
        { id: '12', key: 'SHA256:xyz', comment: '', started, state: 'attached', idleMs: 0, command: 'sh', current: true, yours: false },
      ],
      now,
    );
    expect(lines).toEqual([
      'ID   KEY           STARTED   STATE     IDLE  COMMAND',
      '1    alice@laptop  09:05:07  detached  2m    tail -f /var/log/app',
      '12*  SHA256:xyz    09:05:07  attached  0s    sh',
    ]);
  });
});
