// The network built-ins through breakglassd and the real OpenSSH client, as a user
// runs them: `ssh dev 'netstat -tlnp'`, pipelines, stdin into nc.
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

describe('network built-ins over SSH', () => {
  let server: TestServer;
  let echo: Server;
  let echoPort = 0;
  let http: ReturnType<typeof createHttpServer>;
  let httpPort = 0;

  beforeAll(async () => {
    server = await startServer();
    echo = createServer((s) => {
      s.on('error', () => undefined);
      s.pipe(s);
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    echoPort = (echo.address() as { port: number }).port;
    http = createHttpServer((req, res) => res.end(`you asked for ${req.url}\n`));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    httpPort = (http.address() as { port: number }).port;
  });
  afterAll(async () => {
    await server?.stop();
    echo?.close();
    http?.close();
  });

  it("netstat -tlnp shows breakglassd's own port with its PID and name", async () => {
    const r = await server.ssh('netstat -tlnp');
    expect(r.code).toBe(0);
    const line = r.stdout.toString().split('\n').find((l) => l.includes(`127.0.0.1:${server.port} `));
    expect(line).toMatch(new RegExp(`LISTEN +${server.process.pid}/breakglassd`));
  });

  it('ss -tlnp | grep PORT filters through a pipeline', async () => {
    const r = await server.ssh(`ss -tlnp | grep :${echoPort}`);
    expect(r.code).toBe(0);
    expect(r.stdout.toString().trim().split('\n')).toHaveLength(1);
    expect(r.stdout.toString()).toContain(`users:(("`);
  });

  it('ip -j addr is JSON that lists lo with 127.0.0.1', async () => {
    const r = await server.ssh('ip -j addr');
    const links = JSON.parse(r.stdout.toString()) as Array<{ ifname: string; addr_info: Array<{ local: string }> }>;
    expect(links.find((l) => l.ifname === 'lo')?.addr_info.map((a) => a.local)).toContain('127.0.0.1');
  });

  it('nc carries stdin to a loopback echo server and back; refused is exit 1', async () => {
    const r = await server.ssh(`nc 127.0.0.1 ${echoPort}`, { input: 'ping from the laptop\n' });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('ping from the laptop\n');
    const refused = await server.ssh('nc 127.0.0.1 1');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('nc: 127.0.0.1:1: Connection refused');
  });

  it('fetch and wget -O - print a loopback page; nslookup localhost answers', async () => {
    expect((await server.ssh(`fetch -q http://127.0.0.1:${httpPort}/status`)).stdout.toString()).toBe('you asked for /status\n');
    expect((await server.ssh(`wget -q -O - http://127.0.0.1:${httpPort}/x | wc -l`)).stdout.toString().trim()).toBe('1');
    const ns = await server.ssh('nslookup localhost');
    expect(ns.code).toBe(0);
    expect(ns.stdout.toString()).toContain('Address: 127.0.0.1');
  });
});
