import { describe, expect, it } from 'vitest';
import { parseCast } from './cast-reader.js';
import { CastRecorder } from './cast-recorder.js';

function recorder(maxBytes = 1 << 20, recordInput = false): { rec: CastRecorder; text: () => string; closed: () => unknown } {
  let text = '';
  let clock = 1_700_000_000_000;
  let closedWith: unknown;
  const rec = new CastRecorder({
    sink: { write: (t) => (text += t), close: async () => undefined },
    size: { cols: 80, rows: 24 },
    term: 'xterm-256color',
    title: 'breakglass session 1',
    maxBytes,
    recordInput,
    now: () => (clock += 500),
    onClose: (info) => (closedWith = info),
  });
  return { rec, text: () => text, closed: () => closedWith };
}

describe('CastRecorder', () => {
  it('writes a header, output, resizes; input only when asked', async () => {
    const { rec, text, closed } = recorder();
    rec.output(Buffer.from('$ ls\r\n'));
    rec.input(Buffer.from('ls\r'));
    rec.resize({ cols: 100, rows: 30 });
    await rec.close();
    const cast = parseCast(text());
    expect(cast.header).toMatchObject({ version: 2, width: 80, height: 24, timestamp: 1_700_000_000, env: { TERM: 'xterm-256color' } });
    expect(cast.events).toEqual([
      [0.5, 'o', '$ ls\r\n'],
      [1, 'r', '100x30'],
    ]);
    expect(closed()).toEqual({ bytes: Buffer.byteLength(text()), truncated: false });
  });

  it('records input with recordInput', async () => {
    const { rec, text } = recorder(1 << 20, true);
    rec.input(Buffer.from('ls\r'));
    await rec.close();
    expect(parseCast(text()).events).toEqual([[0.5, 'i', 'ls\r']]);
  });

  it('keeps a UTF-8 character split across chunks whole', async () => {
    const { rec, text } = recorder();
    const euro = Buffer.from('€');
    rec.output(euro.subarray(0, 1));
    rec.output(euro.subarray(1));
    await rec.close();
    expect(parseCast(text()).events.map((e) => e[2]).join('')).toBe('€');
  });

  it('stops at maxBytes with a marker, and the file still parses', async () => {
    const { rec, text, closed } = recorder(600);
    for (let i = 0; i < 50; i++) rec.output(Buffer.from(`line ${i}\r\n`));
    await rec.close();
    expect(Buffer.byteLength(text())).toBeLessThanOrEqual(600);
    const { events } = parseCast(text());
    expect(events.at(-1)).toEqual([expect.any(Number), 'm', 'recording stopped: 600 bytes reached (breakglassd --record-max-size)']);
    expect(events.filter((e) => e[1] === 'o').length).toBeLessThan(50);
    expect(closed()).toEqual({ bytes: Buffer.byteLength(text()), truncated: true });
  });
});
