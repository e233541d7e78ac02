import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isGoServer, parseBanner, waitForSshBanner } from './banner.js';

describe('SSH banner', () => {
  it('parses the identification string (RFC 4253 §4.2)', () => {
    expect(parseBanner('SSH-2.0-Go')).toEqual({ line: 'SSH-2.0-Go', softwareVersion: 'Go' });
    expect(parseBanner('SSH-2.0-OpenSSH_9.2p1 Debian')?.softwareVersion).toBe('OpenSSH_9.2p1');
    expect(parseBanner('HTTP/1.1 400')).toBeUndefined();
    expect(isGoServer(parseBanner('SSH-2.0-Go')!)).toBe(true);
    expect(isGoServer(parseBanner('SSH-2.0-breakglassd_0.1')!)).toBe(false);
  });

  it('waits until a server sends its banner, skipping lines before it', async () => {
    const server = createServer((socket) => socket.end('hello\r\nSSH-2.0-Go\r\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect((await waitForSshBanner('127.0.0.1', port, 2000)).softwareVersion).toBe('Go');
    } finally {
      server.close();
    }
  });

  it('times out with advice when nothing answers', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    server.close();
    await expect(waitForSshBanner('127.0.0.1', port, 300)).rejects.toThrow(`timed out after 300 ms waiting for SSH on 127.0.0.1:${port}`);
  });
});
