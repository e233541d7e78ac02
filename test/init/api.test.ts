// breakglass-init's HTTP API as curl and gokrazy's tools use it.
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goarchOf } from '../../src/init/goarch.js';
import { alive, eventually, nodeService, startInit } from './harness.js';
import type { InitHarness } from './harness.js';

const execFileAsync = promisify(execFile);
const TICKER = "console.log('hello on stdout'); console.error('hello on stderr'); let n = 0; setInterval(() => console.log('tick ' + n++), 100);";

let init: InitHarness;
beforeAll(async () => {
  init = await startInit([
    nodeService('/user/ticker', TICKER, { dontStart: true }),
    nodeService('/user/chatty', "console.log('startup: host key X'); for (let i = 0; i < 300; i++) console.log('audit ' + i); setInterval(() => {}, 1000);"),
    nodeService('/user/env', "console.log('socket=' + process.env.BREAKGLASS_INIT_SOCKET + ' first=' + process.env.GOKRAZY_FIRST_START); setInterval(() => {}, 1000);"),
  ]);
});
afterAll(async () => {
  expect((await init.stop()).code).toBe(0);
});

describe('breakglass-init HTTP API', () => {
  it('answers 401 without the password, as curl shows', async () => {
    const { stdout } = await execFileAsync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', `http://127.0.0.1:${init.port}/`]);
    expect(stdout).toBe('401');
    const wrong = await init.http('GET', '/', { auth: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Basic realm="gokrazy"');
    const { stdout: ok } = await execFileAsync('curl', ['-s', '-u', `gokrazy:${init.password}`, '-H', 'Accept: application/json', `http://127.0.0.1:${init.port}/`]);
    expect(JSON.parse(ok).Hostname).toBe('testdevice');
  });

  it('generated a 20-character password file with mode 0400 and a 0600 socket', async () => {
    expect(init.password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect((await stat(`${init.dir}/gokr-pw.txt`)).mode & 0o777).toBe(0o400);
    expect((await stat(init.socket)).mode & 0o777).toBe(0o600);
  });

  it('lists services as JSON on / and as a page for browsers', async () => {
    const json = await init.http('GET', '/', { headers: { Accept: 'application/json' } });
    expect(json.headers['content-type']).toBe('application/json');
    const services = JSON.parse(json.body).Services as Array<{ Path: string; Stopped: boolean }>;
    expect(services.map((s) => [s.Path, s.Stopped])).toEqual([['/user/ticker', true], ['/user/chatty', false], ['/user/env', false]]);
    const html = await init.http('GET', '/');
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('/user/ticker');
  });

  it('reports status with gokrazy headers and the XSRF cookie', async () => {
    const res = await init.http('GET', '/status?path=/user/ticker', { headers: { Accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.headers['x-gokrazy-status']).toBe('stopped');
    expect(res.headers['x-gokrazy-goarch']).toBe(goarchOf(process.arch));
    expect(String(res.headers['set-cookie'])).toMatch(/^gokrazy_xsrf=[0-9a-f]+\.[0-9a-f]+; Path=\/; Max-Age=86400; HttpOnly/);
    expect(JSON.parse(res.body)).toMatchObject({ Path: '/user/ticker', Stopped: true, Pid: 0 });
    expect((await init.http('GET', '/status?path=/user/nope')).status).toBe(404);
    const bad = await init.http('GET', '/status?path=relative');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('path: expected a service path');
  });

  it('refuses POST /restart without the XSRF token, or with a made-up one, and GET', async () => {
    const none = await init.http('POST', '/restart?path=/user/ticker');
    expect(none.status).toBe(403);
    expect(none.body).toContain('XSRF cookie missing');
    const forged = await init.http('POST', '/restart?path=/user/ticker&xsrftoken=1', { headers: { Cookie: 'gokrazy_xsrf=1' } });
    expect(forged.status).toBe(403);
    expect((await init.http('GET', '/restart?path=/user/ticker')).status).toBe(405);
    expect((await init.statusJson('/user/ticker')).Stopped).toBe(true);
  });

  it('starts a service with the token (303 to /status) and /status then says started', async () => {
    const res = await init.act('restart', '/user/ticker');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/status?path=%2Fuser%2Fticker');
    const status = await init.http('GET', '/status?path=/user/ticker');
    expect(status.headers['x-gokrazy-status']).toBe('started');
    const text = await eventually(async () => {
      const log = await init.http('GET', '/log?path=/user/ticker&stream=stdout');
      return log.body.includes('tick 1') && log.body;
    });
    expect(text.split('\n')[0]).toBe('hello on stdout');
    expect((await init.http('GET', '/log?path=/user/ticker&stream=stderr')).body).toContain('hello on stderr');
  });

  it('accepts the token as a form body too, as the page posts it', async () => {
    const status = await init.http('GET', '/status?path=/user/ticker');
    const token = /gokrazy_xsrf=([^;]+)/.exec(String(status.headers['set-cookie']))![1]!;
    const res = await init.http('POST', '/restart', {
      headers: { Cookie: `gokrazy_xsrf=${token}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `path=%2Fuser%2Fticker&xsrftoken=${encodeURIComponent(token)}`,
    });
    expect(res.status).toBe(303);
  });

  it('streams /log live as Server-Sent Events', async () => {
    const res = await init.open('/log?path=/user/ticker&stream=stdout', { Accept: 'text/event-stream' });
    expect(res.headers['content-type']).toContain('text/event-stream');
    let text = '';
    res.on('data', (c: Buffer) => (text += c.toString()));
    // The ring's lines first, then new ones as they are printed.
    const ticks = (): number[] => [...text.matchAll(/data: tick (\d+)\n\n/g)].map((m) => Number(m[1]));
    const first = await eventually(() => ticks().length > 0 && Math.max(...ticks()));
    await eventually(() => Math.max(...ticks()) >= first + 3);
    res.destroy();
    expect(text.startsWith('data: ')).toBe(true);
  });

  it('keeps the last 100 lines plus the first lines of the run (startup lines never scroll away)', async () => {
    const lines = await eventually(async () => {
      const body = (await init.http('GET', '/log?path=/user/chatty&stream=stdout')).body.trimEnd().split('\n');
      return body.at(-1) === 'audit 299' && body;
    });
    expect(lines[0]).toBe('startup: host key X');
    expect(lines.slice(1, 20)).toEqual(Array.from({ length: 19 }, (_, i) => `audit ${i}`));
    expect(lines.slice(20)).toEqual(Array.from({ length: 100 }, (_, i) => `audit ${200 + i}`));
  });

  it('passes BREAKGLASS_INIT_SOCKET and GOKRAZY_FIRST_START=1 to a service started at boot', async () => {
    const log = await eventually(async () => {
      const body = (await init.http('GET', '/log?path=/user/env&stream=stdout')).body;
      return body.includes('socket=') && body;
    });
    expect(log).toContain(`socket=${init.socket} first=1`);
  });

  it('serves the same API on the Unix socket without basic auth', async () => {
    const res = await init.unix('GET', '/status?path=/user/env', { Accept: 'application/json' });
    expect(res.status).toBe(200);
    expect(res.headers['x-gokrazy-status']).toBe('started');
  });

  it('stops a service and its whole process group', async () => {
    const pid = (await init.statusJson('/user/ticker')).Pid as number;
    expect(alive(pid)).toBe(true);
    expect((await init.act('stop', '/user/ticker')).status).toBe(303);
    await eventually(async () => (await init.statusJson('/user/ticker')).State === 'stopped');
    expect(alive(pid)).toBe(false);
    expect((await init.http('GET', '/status?path=/user/ticker')).headers['x-gokrazy-status']).toBe('stopped');
  });
});
