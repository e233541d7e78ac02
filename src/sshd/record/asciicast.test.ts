import { describe, expect, it } from 'vitest';
import { castEventLine, castHeaderLine } from './asciicast.js';
import { CastParseError, parseCast, parseResize } from './cast-reader.js';

describe('asciicast v2', () => {
  it('round-trips a header and events', () => {
    const text =
      castHeaderLine({ version: 2, width: 80, height: 24, timestamp: 1_700_000_000, env: { TERM: 'xterm' } }) +
      castEventLine(0.1234567, 'o', 'héllo\r\n\x1b[1m') +
      castEventLine(1, 'r', '100x30') +
      castEventLine(2.5, 'i', 'ls\r');
    expect(text.split('\n')[1]).toBe('[0.123457,"o","héllo\\r\\n\\u001b[1m"]');
    expect(parseCast(text)).toEqual({
      header: { version: 2, width: 80, height: 24, timestamp: 1_700_000_000, env: { TERM: 'xterm' } },
      events: [
        [0.123457, 'o', 'héllo\r\n\x1b[1m'],
        [1, 'r', '100x30'],
        [2.5, 'i', 'ls\r'],
      ],
    });
  });

  it.each([
    ['', 'line 1: empty file'],
    ['{"version":1,"width":80,"height":24}\n', 'line 1: bad header'],
    ['{"version":2,"width":80,"height":24}\n[1,"x","a"]\n', 'line 2: bad event'],
    ['{"version":2,"width":80,"height":24}\n[2,"o","a"]\n[1,"o","b"]\n', 'line 3: time goes backwards'],
    ['{"version":2,"width":80,"height":24}\nnot json\n', 'line 2: not JSON'],
  ])('rejects %j', (text, message) => {
    expect(() => parseCast(text)).toThrow(CastParseError);
    expect(() => parseCast(text)).toThrow(message);
  });

  it.each([
    ['80x24', { cols: 80, rows: 24 }],
    ['80x', undefined],
  ])('parseResize(%j)', (data, size) => expect(parseResize(data)).toEqual(size));
});
