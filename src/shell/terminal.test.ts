import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { onlcr, TerminalScreen } from './terminal.js';

describe('TerminalScreen', () => {
  it('translates \\n to \\r\\n (ONLCR)', () => {
    expect(onlcr(Buffer.from('a\nb\n')).toString()).toBe('a\r\nb\r\n');
    const same = Buffer.from('no newline');
    expect(onlcr(same)).toBe(same);
  });
  it('models the cursor and follows a marked line through a reflowing resize', async () => {
    const channel = new PassThrough();
    const sent: Buffer[] = [];
    channel.on('data', (c: Buffer) => sent.push(c));
    const screen = new TerminalScreen(channel, { cols: 20, rows: 5 });
    screen.out.write('out\n');
    screen.write('partial');
    expect(await screen.cursorColumn()).toBe(7);
    screen.write('\r\n');
    // Marked before the prompt is drawn, as the session does.
    const marker = await screen.mark();
    screen.write('p# ' + 'x'.repeat(30));
    await screen.settled();
    expect(screen.rowsBelow(marker)).toBe(1);
    // 33 columns reflow into 4 rows of 10; the cursor is on the last.
    await screen.resize({ cols: 10, rows: 5 });
    expect(screen.rowsBelow(marker)).toBe(3);
    await screen.resize({ cols: 40, rows: 5 });
    expect(screen.rowsBelow(marker)).toBe(0);
    expect(Buffer.concat(sent).toString().startsWith('out\r\npartial')).toBe(true);
    screen.dispose();
  });
});
