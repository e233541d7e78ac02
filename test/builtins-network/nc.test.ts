// nc against loopback servers the test runs: echo, refused, idle, scan.
import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeContext, runBuiltin } from '../helpers/builtin-ctx.js';
import { nc } from '../../src/shell/builtins/nc.js';

async function listen(handler: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port };
}

/** A port that nothing listens on: bind, note it, close. */
async function closedPort(): Promise<number> {
  const { server, port } = await listen(() => undefined);
  await new Promise((r) => server.close(r));
  return port;
}

describe('nc', () => {
  let echo: { server: Server; port: number };
  let idle: { server: Server; port: number };
  const held: Socket[] = [];
  beforeAll(async () => {
    // Echo until the client half-closes, then close: like `cat` behind a socket.
    echo = await listen((s) => {
      s.on('error', () => undefined);
      s.pipe(s);
    });
    idle = await listen((s) => {
      s.on('error', () => undefined);
      held.push(s);
    });
  });
  afterAll(async () => {
    for (const s of held) s.destroy();
    await new Promise((r) => echo.server.close(r));
    await new Promise((r) => idle.server.close(r));
  });

  it('copies stdin to the server and the answer to stdout', async () => {
    const t = makeContext({ endStdin: false });
    const running = nc.run(['127.0.0.1', String(echo.port)], t.ctx);
    t.stdin.end('hello backend\nsecond line\n');
    expect(await running).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(t.stdout()).toBe('hello backend\nsecond line\n');
  });

  it('streams binary data both ways unchanged', async () => {
    const data = Buffer.alloc(1 << 20);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 8)) & 0xff;
    const t = makeContext({ endStdin: false });
    const chunks: Buffer[] = [];
    t.ctx.stdout.on('data', (c: Buffer) => chunks.push(c));
    const running = nc.run(['localhost', String(echo.port)], t.ctx);
    t.stdin.end(data);
    expect(await running).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
  });

  it('a refused connection is exit 1 with HOST:PORT: Connection refused', async () => {
    const port = await closedPort();
    const { code, stderr } = await runBuiltin(nc, ['127.0.0.1', String(port)]);
    expect(code).toBe(1);
    expect(stderr).toBe(`nc: 127.0.0.1:${port}: Connection refused\n`);
  });

  it('-v says when connected', async () => {
    const { code, stderr } = await runBuiltin(nc, ['-v', '127.0.0.1', String(echo.port)]);
    expect(code).toBe(0);
    expect(stderr).toBe(`127.0.0.1 (127.0.0.1:${echo.port}) open\n`);
  });

  it('-w ends an idle connection: exit 1 "timed out" after about that long', async () => {
    const t = makeContext({ endStdin: false });
    const started = Date.now();
    const code = await nc.run(['-w', '0.5', '127.0.0.1', String(idle.port)], t.ctx);
    const took = Date.now() - started;
    expect(code).toBe(1);
    expect(took).toBeGreaterThanOrEqual(450);
    expect(took).toBeLessThan(3000);
    await new Promise((r) => setImmediate(r));
    expect(t.stderr()).toBe('nc: timed out\n');
  });

  it('^C (abort) ends a connection with 130', async () => {
    const t = makeContext({ endStdin: false });
    const running = nc.run(['127.0.0.1', String(idle.port)], t.ctx);
    setTimeout(() => t.abort(), 100);
    expect(await running).toBe(130);
  });

  it('-z reports open and closed ports; exit 0 when any is open', async () => {
    const open = await runBuiltin(nc, ['-z', '127.0.0.1', String(echo.port)]);
    expect(open).toEqual({ code: 0, stdout: `127.0.0.1 (127.0.0.1:${echo.port}) open\n`, stderr: '' });
    const port = await closedPort();
    const closed = await runBuiltin(nc, ['-z', '127.0.0.1', String(port)]);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toBe(`nc: 127.0.0.1:${port}: Connection refused\n`);
    const range = await runBuiltin(nc, ['-zv', '127.0.0.1', `${echo.port}-${echo.port + 1}`]);
    expect(range.code).toBe(0);
    expect(range.stdout).toContain(`(127.0.0.1:${echo.port}) open`);
  });

  it('-l accepts one connection and copies both ways', async () => {
    const t = makeContext({ endStdin: false });
    const running = nc.run(['-lv', '-s', '127.0.0.1', '-p', '0'], t.ctx);
    let port = 0;
    for (let i = 0; i < 100 && !port; i++) {
      await new Promise((r) => setTimeout(r, 20));
      port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(t.stderr())?.[1] ?? 0);
    }
    expect(port).toBeGreaterThan(0);
    const peer = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    peer.on('data', (c: Buffer) => received.push(c));
    await new Promise<void>((r) => peer.once('connect', () => r()));
    peer.end('hello device\n');
    t.stdin.end('hello laptop\n');
    expect(await running).toBe(0);
    await new Promise((r) => peer.once('close', r));
    expect(t.stdout()).toBe('hello device\n');
    expect(Buffer.concat(received).toString()).toBe('hello laptop\n');
    expect(t.stderr()).toMatch(/connect to 127\.0\.0\.1:\d+ from 127\.0\.0\.1:\d+/);
  });

  it('-l -w gives up when nobody connects', async () => {
    const r = await runBuiltin(nc, ['-l', '-w', '0.2', '-s', '127.0.0.1', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^nc: 127\.0\.0\.1:0: Connection timed out\n$/);
    expect((await runBuiltin(nc, ['-l'])).code).toBe(2);
  });

  it('bad input: exit 2 with the reason', async () => {
    for (const args of [['127.0.0.1'], ['127.0.0.1', '0'], ['127.0.0.1', '70000'], ['127.0.0.1', '1-5'], ['-w', 'x', '127.0.0.1', '1'], ['-q']]) {
      const { code, stderr } = await runBuiltin(nc, args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toMatch(/^nc: /);
    }
  });

  it('an unresolvable name is a bad address', async () => {
    const { code, stderr } = await runBuiltin(nc, ['no-such-host.invalid', '80']);
    expect(code).toBe(1);
    expect(stderr).toBe("nc: no-such-host.invalid:80: bad address 'no-such-host.invalid'\n");
  });
});
