import { describe, expect, it } from 'vitest';
import { TelnetDecoder, encodeInput, encodeWindowSize } from './telnet.js';

const bytes = (...values: number[]): Buffer => Buffer.from(values);

describe('encodeInput', () => {
  it.each([
    ['plain text passes unchanged', Buffer.from('ls -l'), Buffer.from('ls -l')],
    ['IAC is doubled', bytes(1, 255, 2), bytes(1, 255, 255, 2)],
    ['CR becomes CR NUL', Buffer.from('q\r'), bytes(0x71, 13, 0)],
    ['both at once', bytes(13, 255), bytes(13, 0, 255, 255)],
  ])('%s', (_name, input, expected) => {
    expect(encodeInput(input)).toEqual(expected);
  });
});

describe('encodeWindowSize', () => {
  it('sends WILL NAWS and the size, columns first', () => {
    expect(encodeWindowSize(100, 30)).toEqual(bytes(255, 251, 31, 255, 250, 31, 0, 100, 0, 30, 255, 240));
  });
  it('doubles a 255 byte inside the size and clamps nonsense', () => {
    expect(encodeWindowSize(255, 0)).toEqual(bytes(255, 251, 31, 255, 250, 31, 0, 255, 255, 0, 1, 255, 240));
  });
});

describe('TelnetDecoder', () => {
  it('drops option negotiation and subnegotiation, keeps data', () => {
    const decoder = new TelnetDecoder();
    // What busybox telnetd sends first: DO ECHO, DO NAWS, WILL ECHO, WILL SGA.
    const out = decoder.decode(Buffer.concat([bytes(255, 253, 1, 255, 253, 31, 255, 251, 1, 255, 251, 3), Buffer.from('hi'), bytes(255, 250, 24, 1, 255, 240), Buffer.from('!')]));
    expect(out.toString()).toBe('hi!');
  });
  it('undoubles IAC and keeps its state across chunks', () => {
    const decoder = new TelnetDecoder();
    const parts = [bytes(65, 255), bytes(255, 66, 255), bytes(253), bytes(1, 67)];
    expect(Buffer.concat(parts.map((p) => decoder.decode(p)))).toEqual(bytes(65, 255, 66, 67));
  });
});
