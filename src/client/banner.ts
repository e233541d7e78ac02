// Waits for the SSH server: connects until the identification string arrives
// (RFC 4253 §4.2: `SSH-protoversion-softwareversion SP comments CR LF`), which also
// tells breakglassd apart from gokrazy's Go server (software version `Go`).
import { connect } from 'node:net';
import { BreakglassError } from '../common/index.js';

export interface SshBanner {
  line: string;
  softwareVersion: string;
}

export function parseBanner(line: string): SshBanner | undefined {
  const match = /^SSH-(2\.0|1\.99)-(\S+)/.exec(line);
  if (!match) return undefined;
  return { line, softwareVersion: match[2]! };
}

/** x/crypto/ssh's default identification is `SSH-2.0-Go`. */
export function isGoServer(banner: SshBanner): boolean {
  return /^Go(\b|$)/.test(banner.softwareVersion);
}

function tryOnce(host: string, port: number, timeoutMs: number): Promise<SshBanner | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let data = '';
    const done = (result: SshBanner | undefined): void => {
      socket.destroy();
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      // Servers may send other lines before the identification string (RFC 4253 §4.2).
      for (const line of data.split('\n').slice(0, -1)) {
        const banner = parseBanner(line.replace(/\r$/, ''));
        if (banner) return done(banner);
      }
      if (data.length > 8192) done(undefined);
    });
    socket.once('error', () => done(undefined));
    socket.once('close', () => done(undefined));
  });
}

/** Nothing answered as an SSH server in time: the device (or its port) is unreachable. */
export class SshWaitTimeout extends BreakglassError {
  override name = 'SshWaitTimeout';
}

export async function waitForSshBanner(host: string, port: number, timeoutMs: number): Promise<SshBanner> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    const banner = await tryOnce(host, port, Math.max(100, Math.min(2000, left)));
    if (banner) return banner;
    if (Date.now() >= deadline) {
      throw new SshWaitTimeout(`timed out after ${timeoutMs} ms waiting for SSH on ${host}:${port} (see the service's log in the web UI; --timeout raises the limit)`, { host, port });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
