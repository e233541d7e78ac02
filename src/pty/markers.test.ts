import { describe, expect, it } from 'vitest';
import { MarkerFilter, startMark } from './markers.js';

const TOKEN = 'c0ffee';
const exitMark = (status: number): string => `\x1b]777;${TOKEN};${status}\x07`;

function run(chunks: string[]): { shown: string; status?: number } {
  const filter = new MarkerFilter(TOKEN);
  let shown = '';
  let status: number | undefined;
  for (const chunk of chunks) {
    const result = filter.push(Buffer.from(chunk));
    shown += result.data.toString();
    if (result.status !== undefined) status = result.status;
  }
  return { shown, status };
}

describe('MarkerFilter', () => {
  it('drops the banner before the start mark and reports the exit status', () => {
    expect(run([`BusyBox banner\r\n${startMark(TOKEN)}hello\r\n${exitMark(3)}`])).toEqual({ shown: 'hello\r\n', status: 3 });
  });
  it('finds both marks when every byte arrives alone', () => {
    const text = `banner${startMark(TOKEN)}out\x1b[2Jmore${exitMark(130)}after`;
    expect(run([...text])).toEqual({ shown: 'out\x1b[2Jmore', status: 130 });
  });
  it('passes through escape sequences that only look like the mark', () => {
    const fake = `\x1b]777;deadbeef;0\x07`;
    expect(run([startMark(TOKEN), 'a', fake, '\x1b]0;title\x07', 'b', exitMark(0)])).toEqual({ shown: `a${fake}\x1b]0;title\x07b`, status: 0 });
  });
  it('returns what follows the exit mark as the rest, in every later chunk too', () => {
    const filter = new MarkerFilter(TOKEN);
    const first = filter.push(Buffer.from(`${startMark(TOKEN)}out${exitMark(0)}echo x`));
    expect([first.data.toString(), first.status, first.rest?.toString()]).toEqual(['out', 0, 'echo x']);
    expect(filter.push(Buffer.from('\r')).rest?.toString()).toBe('\r');
  });
  it('counts stop marks (^Z) and keeps the output around them', () => {
    const filter = new MarkerFilter(TOKEN);
    const stopped = `\x1b]777;${TOKEN};stopped\x07`;
    const a = filter.push(Buffer.from(`${startMark(TOKEN)}vi${stopped}`));
    expect([a.data.toString(), a.stops, a.status]).toEqual(['vi', 1, undefined]);
    const b = filter.push(Buffer.from(`redraw${exitMark(0)}`));
    expect([b.data.toString(), b.stops, b.status]).toEqual(['redraw', 0, 0]);
  });
  it('shows nothing and no status while the program has not started', () => {
    expect(run(['only the banner'])).toEqual({ shown: '', status: undefined });
  });
});
