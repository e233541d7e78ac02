import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ChannelWriter, drained } from './channel-writer.js';

describe('ChannelWriter', () => {
  it('passes writes on and does not end the channel when the shell ends its stdout', async () => {
    const channel = new PassThrough();
    const writer = new ChannelWriter(channel);
    writer.write('a');
    writer.end('b');
    await new Promise((r) => writer.once('finish', r));
    expect(channel.read()?.toString()).toBe('ab');
    expect(channel.writableEnded).toBe(false);
  });

  it('fails a write waiting for drain, and later writes, with EPIPE once the channel is gone', async () => {
    // A channel that never drains: like ssh2 with the client's window at zero.
    const stuck = new Writable({ highWaterMark: 1, write: () => undefined });
    const writer = new ChannelWriter(stuck);
    const first = new Promise<Error | null | undefined>((r) => writer.write('x', r));
    const second = new Promise<Error | null | undefined>((r) => writer.write('y', r));
    writer.markGone();
    expect(await first).toMatchObject({ code: 'EPIPE' });
    await second;
    const later = await new Promise<Error | null | undefined>((r) => writer.write('z', r));
    expect(later).toBeTruthy();
    expect(writer.isGone).toBe(true);
  });

  it('drained() resolves when the buffer empties, or at once when the channel is gone', async () => {
    const slow = new Writable({ highWaterMark: 4, write: (_c, _e, cb) => setTimeout(cb, 30) });
    slow.write('12345678');
    expect(slow.writableLength).toBeGreaterThan(0);
    await drained(slow, () => false);
    expect(slow.writableLength).toBe(0);
    const stuck = new Writable({ write: () => undefined });
    stuck.write('x');
    await drained(stuck, () => true);
  });
});
