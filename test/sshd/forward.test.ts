// ssh -L / ssh -W (direct-tcpip) as --forward and the key's options allow. Every
// target is on loopback; refused targets are refused by policy before any packet.
import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import type { Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { eventually, sshArgs } from './helpers.js';

let echo: Server;
let echoPort: number;
const servers: TestServer[] = [];

beforeAll(async () => {
  echo = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoPort = (echo.address() as { port: number }).port;
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  echo.close();
});

async function serve(forward: string, keyOptions = ''): Promise<TestServer> {
  const server = await startServer({ args: ['--forward', forward], authorizedKeys: (k) => `${keyOptions}${keyOptions ? ' ' : ''}${k.publicLine}\n` });
  servers.push(server);
  return server;
}

/** ssh -W HOST:PORT with input; the echo server sends it back. */
function stdioForward(server: TestServer, target: string, input = 'ping\n'): ReturnType<typeof run> {
  return run('ssh', [...sshArgs(server, { logLevel: 'INFO' }), '-W', target, 'root@127.0.0.1'], { input, timeoutMs: 15_000 });
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('--forward loopback', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serve('loopback');
  });

  it('ssh -L to a loopback target carries data both ways', async () => {
    const localPort = await freePort();
    const tunnel = spawn('ssh', [...sshArgs(server), '-N', '-o', 'ExitOnForwardFailure=yes', '-L', `127.0.0.1:${localPort}:127.0.0.1:${echoPort}`, 'root@127.0.0.1'], {
      stdio: 'ignore',
    });
    try {
      const reply = await new Promise<string>((resolve, reject) => {
        const tryOnce = (left: number): void => {
          const c = connect({ host: '127.0.0.1', port: localPort });
          let got = '';
          c.on('data', (d: Buffer) => {
            got += d.toString();
            if (got.includes('\n')) {
              c.end();
              resolve(got);
            }
          });
          c.once('connect', () => c.write('through the tunnel\n'));
          c.once('error', (err) => (left > 0 ? setTimeout(() => tryOnce(left - 1), 100) : reject(err)));
        };
        tryOnce(50);
      });
      expect(reply).toBe('through the tunnel\n');
      expect(await eventually(() => /forward conn=\d+ result=open target=127\.0\.0\.1:\d+ address=127\.0\.0\.1/.test(server.log()))).toBe(true);
    } finally {
      tunnel.kill('SIGTERM');
    }
  });

  it('ssh -W by name (localhost) works: the resolved address is loopback', async () => {
    const result = await stdioForward(server, `localhost:${echoPort}`);
    expect(result.stdout.toString()).toBe('ping\n');
  });

  it('refuses a private but non-loopback target', async () => {
    const result = await stdioForward(server, '10.255.255.1:9');
    expect(result.code).toBe(255);
    expect(result.stderr).toMatch(/open failed/);
    expect(server.log()).toMatch(/forward conn=\d+ result=refused target=10\.255\.255\.1:9 .*reason="10\.255\.255\.1 \(10\.255\.255\.1\) is not a loopback address \(--forward loopback\)"/);
  });
});

describe('--forward off and per-key limits', () => {
  it('off (the default) refuses even loopback', async () => {
    const server = await serve('off');
    const result = await stdioForward(server, `127.0.0.1:${echoPort}`);
    expect(result.code).toBe(255);
    expect(result.stdout.toString()).toBe('');
    expect(server.log()).toMatch(/result=refused .*reason="forwarding is off \(breakglassd --forward off\)"/);
  });

  it('private-network allows loopback, refuses a public address', async () => {
    const server = await serve('private-network');
    expect((await stdioForward(server, `127.0.0.1:${echoPort}`)).stdout.toString()).toBe('ping\n');
    const result = await stdioForward(server, '192.0.2.1:80');
    expect(result.code).toBe(255);
    expect(server.log()).toMatch(/target=192\.0\.2\.1:80 .*is not a private address/);
  });

  it('a key with no-port-forwarding is refused', async () => {
    const server = await serve('loopback', 'no-port-forwarding');
    expect((await stdioForward(server, `127.0.0.1:${echoPort}`)).code).toBe(255);
    expect(server.log()).toMatch(/reason="the key has no-port-forwarding"/);
  });

  it('permitopen= allows only the listed target', async () => {
    const server = await serve('loopback', `permitopen="127.0.0.1:${echoPort}"`);
    expect((await stdioForward(server, `127.0.0.1:${echoPort}`)).stdout.toString()).toBe('ping\n');
    expect((await stdioForward(server, `localhost:${echoPort}`)).code).toBe(255);
    expect(server.log()).toMatch(/reason="localhost:\d+ is not in the key's permitopen="/);
  });
});
