import { describe, expect, it } from 'vitest';
import { TerminalInput } from './terminal-input.js';

const nextData = (r: NodeJS.ReadableStream): Promise<string> => new Promise((res) => r.once('data', (c: Buffer) => res(c.toString())));
const ended = (r: NodeJS.ReadableStream): Promise<void> => new Promise((res) => r.once('end', () => res()));

describe('TerminalInput', () => {
  it('feeds only the active reader, as fast as it reads; ^D ends only that reader', async () => {
    const input = new TerminalInput();
    const a = input.open();
    input.activate(a);
    input.write('one\n');
    expect(await nextData(a)).toBe('one\n');
    const end = ended(a);
    input.end();
    a.resume();
    await end;
    // The next reader is unaffected by the earlier ^D.
    const b = input.open();
    input.activate(b);
    input.write('two\n');
    expect(await nextData(b)).toBe('two\n');
  });
  it('keeps what the job did not read for the prompt, dropping end-of-file marks', () => {
    const input = new TerminalInput();
    const a = input.open();
    input.activate(a);
    // `a` never reads (a built-in like sleep): nothing is pulled.
    input.write('ls\n');
    input.end();
    input.write('pw');
    a.destroy();
    expect(input.takeLeftover()).toBe('ls\npw');
    expect(input.takeLeftover()).toBe('');
  });
  it('after the client closed, every reader sees end of file', async () => {
    const input = new TerminalInput();
    input.close();
    const r = input.open();
    input.activate(r);
    r.resume();
    await ended(r);
  });
});
