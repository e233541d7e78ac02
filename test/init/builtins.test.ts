// The shell's `svc` and `logs` built-ins against a real breakglass-init over its socket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logs } from '../../src/shell/builtins/logs.js';
import { svc } from '../../src/shell/builtins/svc.js';
import { makeContext } from '../helpers/builtin-ctx.js';
import { eventually, nodeService, startInit } from './harness.js';
import type { InitHarness } from './harness.js';

let init: InitHarness;
beforeAll(async () => {
  init = await startInit([
    nodeService('/user/breakglass', "console.error('breakglassd: listening'); setInterval(() => {}, 1000);", { dontStart: true }),
    nodeService('/user/app', "console.log('app started'); console.error('app warning'); let n = 0; setInterval(() => console.log('beat ' + n++), 100);"),
  ]);
});
afterAll(async () => {
  await init.stop();
});

const withSocket = (): ReturnType<typeof makeContext> => makeContext({ services: { initSocket: init.socket } });

describe('svc', () => {
  it('lists services with state and last line', async () => {
    const t = withSocket();
    await eventually(async () => String((await init.statusJson('/user/app')).LastLine).startsWith('beat'));
    expect(await svc.run([], t.ctx)).toBe(0);
    const lines = t.stdout().split('\n');
    expect(lines[0]).toMatch(/^SERVICE\s+STATE\s+PID\s+LAST LOG LINE$/);
    expect(lines[1]).toMatch(/^\/user\/breakglass\s+stopped\s+-\s+breakglass-init: not started at boot/);
    expect(lines[2]).toMatch(/^\/user\/app\s+running\s+\d+\s+beat \d+/);
  });

  it('starts, inspects and stops a service by its short name', async () => {
    const start = withSocket();
    expect(await svc.run(['start', 'breakglass'], start.ctx)).toBe(0);
    expect(start.stdout()).toBe('starting /user/breakglass\n');
    await eventually(async () => (await init.statusJson('/user/breakglass')).State === 'running');
    const pid = (await init.statusJson('/user/breakglass')).Pid;
    const again = withSocket();
    expect(await svc.run(['start', 'breakglass'], again.ctx)).toBe(0);
    expect(again.stdout()).toBe('/user/breakglass is already running (svc restart restarts it)\n');
    expect((await init.statusJson('/user/breakglass')).Pid).toBe(pid);
    const status = withSocket();
    expect(await svc.run(['status', '/user/breakglass'], status.ctx)).toBe(0);
    expect(status.stdout()).toMatch(/^service: {4}\/user\/breakglass\nstate: {6}running\npid: {8}\d+/);
    const stop = withSocket();
    expect(await svc.run(['stop', 'breakglass'], stop.ctx)).toBe(0);
    await eventually(async () => (await init.statusJson('/user/breakglass')).State === 'stopped');
  });

  it('explains bad usage and a missing socket', async () => {
    const t = withSocket();
    expect(await svc.run(['status', 'nope'], t.ctx)).toBe(1);
    expect(t.stderr()).toBe('svc: no service named nope (services: /user/breakglass, /user/app)\n');
    const bad = withSocket();
    expect(await svc.run(['frobnicate'], bad.ctx)).toBe(2);
    const none = makeContext();
    expect(await svc.run(['list'], none.ctx)).toBe(1);
    expect(none.stderr()).toContain('BREAKGLASS_INIT_SOCKET');
  });
});

describe('logs', () => {
  it('prints both streams by default, merged in order and marked; one stream with -o, -e or --stream', async () => {
    const both = withSocket();
    expect(await logs.run(['app'], both.ctx)).toBe(0);
    const lines = both.stdout().split('\n');
    const starting = lines.findIndex((l) => l.startsWith('[err] breakglass-init: starting ['));
    expect(starting).toBeGreaterThanOrEqual(0);
    expect(lines.indexOf('[out] app started')).toBeGreaterThan(starting);
    expect(lines.indexOf('[err] app warning')).toBeGreaterThan(lines.indexOf('[out] app started'));
    expect(lines.filter(Boolean).every((l) => /^\[(out|err)\] /.test(l))).toBe(true);
    const out = withSocket();
    expect(await logs.run(['-o', 'app'], out.ctx)).toBe(0);
    expect(out.stdout().split('\n')[0]).toBe('app started');
    const err = withSocket();
    expect(await logs.run(['--stream', 'stderr', '/user/app'], err.ctx)).toBe(0);
    expect(err.stdout()).toContain('app warning');
    expect(err.stdout()).toContain('breakglass-init: starting');
    expect(err.stdout()).not.toContain('[err]');
    const e = withSocket();
    expect(await logs.run(['-e', 'app'], e.ctx)).toBe(0);
    expect(e.stdout()).toBe(err.stdout());
  });

  it('shows a server that logs only to stderr (breakglassd) without -e', async () => {
    expect(await svc.run(['start', 'breakglass'], withSocket().ctx)).toBe(0);
    const text = await eventually(async () => {
      const t = withSocket();
      expect(await logs.run(['breakglass'], t.ctx)).toBe(0);
      return t.stdout().includes('\n[err] breakglassd: listening\n') && t.stdout();
    });
    expect(text.split('\n').filter(Boolean).every((l) => l.startsWith('[err] '))).toBe(true);
    expect(await svc.run(['stop', 'breakglass'], withSocket().ctx)).toBe(0);
  });

  it('follows new lines with -f until ^C', async () => {
    const t = withSocket();
    const running = logs.run(['-f', 'app'], t.ctx);
    const beats = (): number[] => [...t.stdout().matchAll(/beat (\d+)/g)].map((m) => Number(m[1]));
    const first = await eventually(() => beats().length > 0 && Math.max(...beats()));
    await eventually(() => Math.max(...beats()) >= first + 3);
    t.abort();
    expect(await running).toBe(130);
  });

  it('rejects a bad stream name', async () => {
    const t = withSocket();
    expect(await logs.run(['--stream', 'all', 'app'], t.ctx)).toBe(2);
    expect(t.stderr()).toBe('logs: --stream: expected stdout, stderr or both, got all\n');
  });
});
