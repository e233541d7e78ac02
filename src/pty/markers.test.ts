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
  it('shows nothing and no status while the program has not started', () => {
    expect(run(['only the banner'])).toEqual({ shown: '', status: undefined });
  });
});
