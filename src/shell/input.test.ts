import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readAll } from '../os/stream.js';
import { ChannelInput } from './input.js';

describe('ChannelInput', () => {
  it('gives each command only what it reads; the rest stays for the next', async () => {
    const channel = new PassThrough();
    const input = new ChannelInput(channel);
    channel.write('first\n');
    const a = input.open();
    const chunk = await new Promise<Buffer>((r) => a.once('data', r));
    expect(chunk.toString()).toBe('first\n');
    a.destroy();
    channel.write('second\n');
    channel.end('third\n');
    const b = input.open();
    expect((await readAll(b)).toString()).toBe('second\nthird\n');
    // After end of file every new reader sees EOF at once.
    expect((await readAll(input.open())).toString()).toBe('');
  });
  it('a command that never reads leaves the input untouched', async () => {
    const channel = new PassThrough();
    const input = new ChannelInput(channel);
    const unused = input.open();
    channel.end('kept');
    await new Promise((r) => setTimeout(r, 10));
    unused.destroy();
    expect((await readAll(input.open())).toString()).toBe('kept');
  });
});
