// Supervision semantics with tiny node services: restart after 1 s with backoff, exit 0
// and 125 end supervision, SIGTERM to init stops every group (SIGKILL after the grace).
import { afterEach, describe, expect, it } from 'vitest';
import { alive, eventually, nodeService, startInit } from './harness.js';
import type { InitHarness } from './harness.js';

let init: InitHarness | undefined;
afterEach(async () => {
  await init?.stop();
  init = undefined;
});

const stderrOf = async (h: InitHarness, path: string): Promise<string> =>
  (await h.http('GET', `/log?path=${encodeURIComponent(path)}&stream=stderr`)).body;

describe('supervisor', () => {
  it('restarts a failing service after 1 s, then backs off to 2 s', async () => {
    init = await startInit([nodeService('/user/crash', "console.log('run at ' + Date.now()); process.exit(3);")]);
    const h = init;
    const out = await eventually(async () => {
      const body = (await h.http('GET', '/log?path=/user/crash&stream=stdout')).body;
      return body.split('\n').filter(Boolean).length >= 3 && body;
    }, 8000);
    const times = [...out.matchAll(/run at (\d+)/g)].map((m) => Number(m[1]));
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(1950);
    const notes = await stderrOf(h, '/user/crash');
    expect(notes).toContain('exited with status 3');
    expect(notes).toContain('restarting in 1000 ms');
    expect(notes).toContain('restarting in 2000 ms');
    expect((await h.statusJson('/user/crash')).Stopped).toBe(false);
  });

  it.each([
    [0, 'exited successfully; supervision stopped'],
    [125, 'exit status 125: not supervised'],
  ])('ends supervision when a service exits %i', async (code, note) => {
    init = await startInit([nodeService('/user/once', `console.log('ran'); process.exit(${code});`)]);
    const h = init;
    await eventually(async () => (await h.statusJson('/user/once')).State === 'stopped');
    expect((await h.http('GET', '/status?path=/user/once')).headers['x-gokrazy-status']).toBe('stopped');
    expect(await stderrOf(h, '/user/once')).toContain(note);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    const runs = (await h.http('GET', '/log?path=/user/once&stream=stdout')).body.match(/ran/g);
    expect(runs).toHaveLength(1);
  });

  it('starts a 125-on-first-start service (gokrazy DontStartOnBoot) when asked', async () => {
    init = await startInit([
      nodeService('/user/ondemand', "if (process.env.GOKRAZY_FIRST_START === '1') process.exit(125); console.log('serving'); setInterval(() => {}, 1000);"),
    ]);
    const h = init;
    await eventually(async () => (await h.statusJson('/user/ondemand')).State === 'stopped');
    await h.act('restart', '/user/ondemand');
    await eventually(async () => (await h.http('GET', '/log?path=/user/ondemand&stream=stdout')).body.includes('serving'));
    expect((await h.statusJson('/user/ondemand')).State).toBe('running');
  });

  it('restarts a running service at once when asked', async () => {
    init = await startInit([nodeService('/user/svc', "console.log('pid ' + process.pid); setInterval(() => {}, 1000);")]);
    const h = init;
    const first = await eventually(async () => (await h.statusJson('/user/svc')).Pid as number);
    await h.act('restart', '/user/svc');
    const second = await eventually(async () => {
      const pid = (await h.statusJson('/user/svc')).Pid as number;
      return pid !== first && pid;
    }, 3000);
    expect(alive(first)).toBe(false);
    expect(alive(second)).toBe(true);
  });

  it('on SIGTERM stops every service group, SIGKILLs the stubborn one after the grace, exits 0', async () => {
    const stubborn = `
      const { spawn } = require('node:child_process');
      const child = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: 'ignore' });
      console.log('child ' + child.pid);
      process.on('SIGTERM', () => console.log('ignoring TERM'));
      setInterval(() => {}, 1000);`;
    init = await startInit([nodeService('/user/stubborn', stubborn), nodeService('/user/polite', 'setInterval(() => {}, 1000);')], { stopGraceMs: 400 });
    const h = init;
    const childPid = Number(
      (await eventually(async () => /child (\d+)/.exec((await h.http('GET', '/log?path=/user/stubborn&stream=stdout')).body) ?? undefined))[1],
    );
    const pids = [(await h.statusJson('/user/stubborn')).Pid as number, (await h.statusJson('/user/polite')).Pid as number, childPid];
    expect(pids.every(alive)).toBe(true);
    const started = Date.now();
    const result = await h.stop('SIGTERM');
    init = undefined;
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    await eventually(() => pids.every((pid) => !alive(pid)), 3000);
    expect(h.stderr()).toContain('SIGTERM: stopping 2 service(s)');
  });
});
