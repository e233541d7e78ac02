// Part of 4 (memory), breakglassd only: what a detached interactive session costs. N pty
// shells each draw a screenful (`cat /proc/self/maps`, a few hundred lines: the screen and
// its scrollback fill up), then their ssh clients are SIGKILLed: the sessions detach and
// keep their screen models. The tree's RSS growth over N is the cost of one (V8 garbage
// not yet collected included, so it errs high). Issue 12's target: at most 1 MiB.
import { DEST, startBreakglassd } from '../lib/servers.mjs';
import { spawnGroup, stopChild, sleep } from '../lib/proc.mjs';
import { treeMemory } from '../lib/procfs.mjs';

const MiB = 2 ** 20;

/** One pty shell that draws a screenful and then loses its client. Resolves once detached. */
async function detachOne(ctx, server, index) {
  const child = spawnGroup('ssh', [...ctx.clientOptions(server.port), '-tt', DEST], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.resume();
  let seen = '';
  child.stdout.on('data', (chunk) => {
    seen += chunk.toString();
    if (seen.length > 4096) seen = seen.slice(-2048);
  });
  child.stdin.write('cat /proc/self/maps; echo drawn-$BREAKGLASS_SESSION\r');
  const deadline = Date.now() + 15_000;
  while (!/drawn-\d+/.test(seen) && Date.now() < deadline && child.exitCode === null) await sleep(20);
  const id = /drawn-(\d+)/.exec(seen)?.[1];
  if (!id) throw new Error(`session ${index + 1} did not draw its screen`);
  child.kill('SIGKILL');
  await stopChild(child);
  const detached = new RegExp(`breakglassd: detach id=${id} `);
  while (!detached.test(server.log()) && Date.now() < deadline) await sleep(20);
  if (!detached.test(server.log())) throw new Error(`session ${id} did not detach`);
}

export async function measureDetached(ctx, section, count) {
  const half = Math.ceil(count / 2);
  const row = section.row(`per detached interactive session (${count} pty shells with a screenful each, clients SIGKILLed), tree delta / ${count}`, 'MiB', 'lower', { target: { column: 'breakglassd', maxValue: 1 } });
  const second = section.row(`the same, sessions ${half + 1}–${count} only (the first ones also pay for heap the daemon grows once)`, 'MiB', 'lower');
  for (const name of ctx.names) if (name !== 'breakglassd') for (const r of [row, second]) r.fail(name, 'n/a: it has no detached sessions');
  if (!ctx.names.includes('breakglassd') || ctx.unavailable.has('breakglassd')) return;
  const server = await startBreakglassd({ dir: `${ctx.ws.dir}/detached`, shm: `${ctx.ws.shm}/detached` }, ctx.key, { args: ['--max-detached', String(count + 1)] });
  try {
    // The first session loads the terminal model's code: not a per-session cost.
    await detachOne(ctx, server, 0);
    await sleep(1000);
    const before = treeMemory(server.pid).treeRss;
    for (let i = 1; i <= half; i++) await detachOne(ctx, server, i);
    await sleep(1000);
    const middle = treeMemory(server.pid).treeRss;
    for (let i = half + 1; i <= count; i++) await detachOne(ctx, server, i);
    await sleep(1000);
    const after = treeMemory(server.pid).treeRss;
    row.add('breakglassd', (after - before) / count / MiB);
    second.add('breakglassd', (after - middle) / (count - half) / MiB);
  } catch (error) {
    for (const r of [row, second]) if (!r.summary('breakglassd')) r.fail('breakglassd', error.message);
  } finally {
    await server.stop();
  }
}
