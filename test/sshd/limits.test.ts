// Connection limits and the daemon's lifetime: --login-grace-time, --max-startups,
// --idle-exit, SIGTERM, and the JSON audit log.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, makeKey, run, startServer, waitFor } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { eventually, findProcesses, rawConnect } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const exitOf = (s: TestServer): Promise<number | null> =>
  s.process.exitCode !== null ? Promise.resolve(s.process.exitCode) : new Promise((r) => s.process.once('exit', (code) => r(code)));

describe('pre-auth limits', () => {
  it('a connection that sends nothing is closed after --login-grace-time', async () => {
    server = await startServer({ args: ['--login-grace-time', '700ms'] });
    const conn = await rawConnect(server.port);
    const afterMs = await conn.closed;
    expect(conn.received()).toMatch(/^SSH-2\.0-breakglassd\r\n/);
    expect(afterMs).toBeGreaterThanOrEqual(600);
    expect(afterMs).toBeLessThan(3000);
    await waitFor(() => server!.log(), /login-timeout conn=\d+ from=127\.0\.0\.1:\d+ after_ms=700/);
    // A real login within the grace time is unaffected.
    expect((await server.ssh('echo ok')).stdout.toString()).toBe('ok\n');
  });

  it('--max-startups: 3 per source address; past the overall cap the busiest source gives up its oldest', async () => {
    server = await startServer({ args: ['--max-startups', '4'] });
    const port = server.port;
    // Per source: the 4th stalled connection from 127.0.0.1 is dropped at once.
    const same = await Promise.all([1, 2, 3].map(() => rawConnect(port)));
    await eventually(() => same.every((c) => c.received().startsWith('SSH-2.0-')));
    const fourth = await rawConnect(port);
    expect(await Promise.race([fourth.closed.then(() => 'closed'), new Promise((r) => setTimeout(() => r('open'), 2000))])).toBe('closed');
    expect(fourth.received()).toBe('');
    // Overall: one more from another loopback address fits (4).
    const other = await rawConnect(port, '127.0.0.2');
    await eventually(() => other.received().startsWith('SSH-2.0-'));
    // The next one is not refused: 127.0.0.1, holding the most, loses its oldest.
    const fifth = await rawConnect(port, '127.0.0.3');
    await eventually(() => fifth.received().startsWith('SSH-2.0-'));
    await same[0]!.closed;
    expect(server.log()).toMatch(/refused conn=\d+ from=127\.0\.0\.1:\d+ reason="3 unauthenticated connections from 127\.0\.0\.1 \(limit 3\)"/);
    expect(server.log()).toMatch(/evicted conn=\d+ from=127\.0\.0\.1:\d+ reason="4 unauthenticated connections \(--max-startups 4\): made room for 127\.0\.0\.3; 127\.0\.0\.1 held 3"/);
    // A real login still gets through while the silent ones hold every slot (from a fresh address it evicts one).
    const login = await run('ssh', [...server.sshOptions(), '-o', 'BindAddress=127.0.0.4', '-p', String(port), 'root@127.0.0.1', 'echo through']);
    expect(login.stdout.toString()).toBe('through\n');
    for (const c of [...same, other, fifth]) c.socket.destroy();
    await eventually(async () => (await server!.ssh('echo ok')).code === 0, 5000, 100);
    expect((await server.ssh('echo again')).stdout.toString()).toBe('again\n');
  });
});

describe('lifetime', () => {
  it('--idle-exit: exits 0 after the time with nobody connected, not while someone is', async () => {
    server = await startServer({ args: ['--idle-exit', '1500ms'], env: { ...process.env, PATH: '/bin:/usr/bin' } });
    const s = server;
    // A session longer than the idle time keeps it alive.
    const result = await s.ssh('/bin/sleep 2; echo still here');
    expect(result.stdout.toString()).toBe('still here\n');
    expect(s.process.exitCode).toBeNull();
    const started = Date.now();
    expect(await exitOf(s)).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(s.log()).toMatch(/idle-exit after_ms=1500/);
  });

  it('SIGTERM closes listeners and sessions (and their processes), tells the clients, and exits 0', async () => {
    server = await startServer({ env: { ...process.env, PATH: '/bin:/usr/bin' } });
    const s = server;
    const argv = ['/bin/sleep', '1000.777'];
    const client = spawn('ssh', [...s.sshOptions(), '-p', String(s.port), 'root@127.0.0.1', argv.join(' ')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let clientStderr = '';
    client.stderr!.on('data', (c: Buffer) => (clientStderr += c.toString()));
    const clientExit = new Promise<number | null>((r) => client.once('exit', (code) => r(code)));
    expect(await eventually(async () => (await findProcesses(argv)).length === 1, 10_000)).toBe(true);
    s.process.kill('SIGTERM');
    expect(await exitOf(s)).toBe(0);
    expect(await findProcesses(argv)).toEqual([]);
    // An exit status (128 + SIGTERM) and a reason, not a connection that just died (255).
    expect(await clientExit).toBe(143);
    expect(clientStderr).toContain('breakglassd: the server is stopping; this session ends');
    expect(s.log()).toMatch(/breakglassd: stopped/);
  });
});

describe('log reader gone', () => {
  it('keeps serving when nobody reads its stderr any more (EPIPE), and still stops on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bg-epipe-'));
    try {
      const key = await makeKey(dir);
      await writeFile(join(dir, 'ak'), `${key.publicLine}\n`);
      const child = spawn(process.execPath, [join(DIST, 'breakglassd.js'), '--port', '0', '--listen', '127.0.0.1', '--authorized-keys', join(dir, 'ak'),
        '--host-key', join(dir, 'hk'), '--home', join(dir, 'home'), '--toolbox-dir', join(dir, 'tb')], { stdio: ['ignore', 'ignore', 'pipe'] });
      let text = '';
      child.stderr!.on('data', (c: Buffer) => (text += c.toString()));
      const port = Number((await waitFor(() => text, /listening on 127\.0\.0\.1:(\d+)/))[1]);
      child.stderr!.destroy(); // the log reader goes away
      const sshArgs = ['-F', 'none', '-i', key.privatePath, '-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=no', '-o', `UserKnownHostsFile=${join(dir, 'kh')}`,
        '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-p', String(port), 'root@127.0.0.1'];
      for (const word of ['one', 'two']) expect((await run('ssh', [...sshArgs, `echo ${word}`])).stdout.toString()).toBe(`${word}\n`);
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await Promise.race([exited, new Promise((r) => setTimeout(() => r('hung'), 5000))])).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('audit log', () => {
  it('--log-format json writes one JSON object per event', async () => {
    server = await startServer({ args: ['--log-format', 'json'] });
    await server.ssh('echo hi');
    await waitFor(() => server!.log(), /"event":"disconnect"/);
    const events = server
      .log()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const names = events.map((e) => e.event);
    expect(names).toEqual(expect.arrayContaining(['connect', 'auth', 'session-start', 'session-end', 'disconnect']));
    expect(events.find((e) => e.event === 'auth')).toMatchObject({ result: 'ok', user: 'root', key: expect.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}$/), comment: 'test-id_ed25519' });
    expect(events.find((e) => e.event === 'session-start')).toMatchObject({ type: 'exec', command: 'echo hi' });
    expect(events.every((e) => typeof e.time === 'string')).toBe(true);
    // Readiness stays a plain line for parsers.
    expect(server.log()).toMatch(/^breakglassd: listening on 127\.0\.0\.1:\d+ \(host key SHA256:/m);
  });
});
