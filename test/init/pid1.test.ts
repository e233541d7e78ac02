// breakglass-init as PID 1 (in a new PID namespace via unshare): signals still work,
// its own children are reaped and restarted, and the orphans Node cannot reap are
// reported rather than hidden (see src/init/pid1.ts for why).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, nodeService, startInit } from './harness.js';
import type { InitHarness } from './harness.js';

function canUnshare(): boolean {
  try {
    execFileSync('unshare', ['--pid', '--uts', '--fork', '--mount-proc', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The host pid of unshare's forked child (init, PID 1 inside). */
function childOf(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  return Number(children[0]);
}

const hostBefore = hostname();
let init: InitHarness | undefined;
afterEach(async () => {
  await init?.stop('SIGKILL');
  init = undefined;
});

// A service that leaves an orphan behind: its child outlives it, is re-parented to
// PID 1 and exits there.
const ORPHANER = `
  const { spawn } = require('node:child_process');
  spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300)'], { detached: true, stdio: 'ignore' }).unref();
  console.log('left an orphan');
  setTimeout(() => process.exit(0), 50);`;

describe.skipIf(!canUnshare())('breakglass-init as PID 1', () => {
  it('warns, supervises, reports unreapable orphans and stops cleanly on SIGTERM', async () => {
    init = await startInit(
      [nodeService('/user/crash', "console.log('pid ' + process.pid); process.exit(3);"), nodeService('/user/orphaner', ORPHANER)],
      // --uts: as PID 1 init sets the configured hostname (testdevice), which must land in
      // a namespace of its own, never on the machine running the tests.
      { wrap: ['unshare', '--pid', '--uts', '--fork', '--kill-child', '--mount-proc'] },
    );
    const h = init;
    expect(h.stderr()).toContain('breakglass-init: running as PID 1: Node cannot reap orphaned grandchildren');
    expect(h.stderr()).toMatch(/breakglass-init: hostname set to testdevice \(was .+\)/);
    expect(hostname()).toBe(hostBefore);
    // Its own children are reaped: the crashing service is seen to exit and restart.
    await eventually(async () => ((await h.http('GET', '/log?path=/user/crash&stream=stdout')).body.match(/pid \d+/g) ?? []).length >= 2, 8000);
    // The orphan becomes a zombie of PID 1 that nobody reaps, and GET / says so.
    const zombies = await eventually(async () => {
      const json = JSON.parse((await h.http('GET', '/', { headers: { Accept: 'application/json' } })).body) as { UnreapedZombies?: number };
      return (json.UnreapedZombies ?? 0) >= 1 && json.UnreapedZombies;
    }, 8000);
    // Exactly the orphan: the crash service restarts all the time, and between its exit and
    // libuv's waitpid() it is a zombie of PID 1 too; the count leaves our own children out.
    expect(zombies).toBe(1);
    // PID 1 ignores signals it has no handler for; ours handles SIGTERM.
    process.kill(childOf(h.process.pid!), 'SIGTERM');
    await eventually(() => h.process.exitCode !== null || h.process.signalCode !== null, 10_000);
    const result = await h.stop();
    init = undefined;
    expect(result.code).toBe(0);
    expect(h.stderr()).toContain('SIGTERM: stopping 2 service(s)');
  });
});
