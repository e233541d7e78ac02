// 4. Memory, from /proc/PID/status: a fresh instance of each server, idle; after one
// connection; with 10 idle sessions open (`ssh … 'sleep 600'`, the `sleep` processes
// themselves left out, they are the same program for every server); and the peak while
// a large file is uploaded over SFTP (sampled every 50 ms, plus the main process's VmHWM).
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STARTERS, DEST, LABELS } from '../lib/servers.mjs';
import { spawnGroup, stopChild, sleep } from '../lib/proc.mjs';
import { treeMemory, countNamed } from '../lib/procfs.mjs';
import { randomFile } from '../lib/files.mjs';
import { measureDetached } from './detached.mjs';

const MiB = 2 ** 20;

export async function measureMemory(ctx) {
  const sessions = ctx.quick ? 2 : 10;
  const uploadSize = ctx.quick ? 16 * MiB : 1024 * MiB;
  const section = ctx.section('memory', 'Memory (RSS)', { columns: ctx.names, ratios: ctx.peerRatios() });
  const rows = {
    idleMain: section.row('idle, main process VmRSS', 'MiB', 'lower', { target: { column: 'breakglassd', maxValue: 55 } }),
    idleTree: section.row('idle after one `ssh true`, whole process tree', 'MiB', 'lower'),
    perSession: section.row(`per idle session (${sessions} open \`ssh … 'sleep 600'\`), tree delta / ${sessions}`, 'MiB', 'lower', { target: { column: 'breakglassd', maxValue: 1 } }),
    withSessions: section.row(`with ${sessions} idle sessions, whole tree`, 'MiB', 'lower'),
    peakTree: section.row(`peak during a ${uploadSize / MiB} MiB sftp upload, whole tree (sampled)`, 'MiB', 'lower', { target: { column: 'breakglassd', maxValue: 100 } }),
    peakMain: section.row(`peak during the upload, main process VmHWM`, 'MiB', 'lower'),
  };
  section.command(`ssh $OPTS 127.0.0.1 'sleep 600'   # ×${sessions}, stdin kept open, ControlMaster=no`);
  section.command('sftp $OPTS -b BATCH 127.0.0.1   # put /dev/shm/…/big.bin /dev/shm/…/big-up.bin');

  const work = join(ctx.ws.shm, 'memory');
  mkdirSync(work, { recursive: true });
  const big = join(work, 'big.bin');
  await randomFile(big, uploadSize);
  const memWs = { dir: join(ctx.ws.dir, 'mem'), shm: join(ctx.ws.shm, 'mem') };

  for (const name of ctx.names) {
    ctx.checkTime();
    const all = Object.values(rows);
    if (ctx.unavailable.has(name)) {
      for (const row of all) row.fail(name, ctx.unavailable.get(name));
      continue;
    }
    let server;
    try {
      server = await STARTERS[name](memWs, ctx.key);
    } catch (error) {
      for (const row of all) row.fail(name, `start: ${error.message}`);
      continue;
    }
    const clients = [];
    try {
      await sleep(1000);
      rows.idleMain.add(name, treeMemory(server.pid).mainRss / MiB);
      const first = await ctx.sshTo(server.port, 'true', { timeoutMs: 20_000 });
      if (first.code !== 0) throw new Error(ctx.reason(first, 'ssh true'));
      await sleep(500);
      const idle = treeMemory(server.pid);
      rows.idleTree.add(name, idle.treeRss / MiB);

      // One at a time: every server limits concurrent unauthenticated connections per
      // source address (breakglassd 3, Dropbear 5), and this measures idle sessions, not
      // a connection storm.
      for (let i = 0; i < sessions; i++) {
        const child = spawnGroup('ssh', [...ctx.clientOptions(server.port), DEST, 'sleep 600'], { stdio: ['pipe', 'ignore', 'pipe'] });
        child.stderr.resume();
        clients.push(child);
        const deadline = Date.now() + 10_000;
        while (countNamed(server.pid, 'sleep') < i + 1 && Date.now() < deadline && child.exitCode === null) await sleep(20);
      }
      const open = countNamed(server.pid, 'sleep');
      const alive = clients.filter((child) => child.exitCode === null && child.signalCode === null).length;
      if (alive < sessions) {
        const reason = `${sessions - alive} of ${sessions} idle sessions ended early`;
        rows.perSession.fail(name, reason);
        rows.withSessions.fail(name, reason);
      } else {
        // A server whose shell runs `sleep` in-process shows no sleep process: then the
        // sessions count as open once every client has stayed connected for 10 s.
        if (open < sessions) section.note(`${LABELS[name]}: ${open} of ${sessions} remote \`sleep\` processes seen; measured after 10 s with every client still connected.`);
        await sleep(500);
        const loaded = treeMemory(server.pid, ['sleep']);
        rows.withSessions.add(name, loaded.treeRss / MiB);
        rows.perSession.add(name, (loaded.treeRss - idle.treeRss) / sessions / MiB);
      }
      await Promise.all(clients.splice(0).map((child) => stopChild(child)));
      await sleep(300);

      const remote = join(work, `big-up-${name}.bin`);
      const batch = join(work, `batch-${name}`);
      writeFileSync(batch, `put ${big} ${remote}\n`);
      let peak = 0;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          peak = Math.max(peak, treeMemory(server.pid).treeRss);
          await sleep(50);
        }
      })();
      const upload = await ctx.toolTo(server.port, 'sftp', ['-b', batch], { timeoutMs: 300_000 });
      sampling = false;
      await sampler;
      let uploaded = -1;
      try {
        uploaded = statSync(remote).size;
      } catch {
        // Reported below.
      }
      rmSync(remote, { force: true });
      if (upload.code !== 0 || uploaded !== uploadSize) {
        const reason = ctx.reason(upload, 'sftp upload', `${uploaded} bytes arrived`);
        rows.peakTree.fail(name, reason);
        rows.peakMain.fail(name, reason);
      } else {
        rows.peakTree.add(name, peak / MiB);
        rows.peakMain.add(name, treeMemory(server.pid).mainHwm / MiB);
      }
    } catch (error) {
      for (const row of all) if (!row.summary(name)) row.fail(name, error.message);
    } finally {
      await Promise.all(clients.map((child) => stopChild(child)));
      await server.stop();
    }
  }
  rmSync(work, { recursive: true, force: true });
  ctx.checkTime();
  await measureDetached(ctx, section, ctx.quick ? 4 : 40);
  section.note('One fresh instance per server. "Main process" is the listening process (sshd\'s master, Dropbear\'s listener, breakglassd\'s node process); OpenSSH and Dropbear fork per connection, so the whole tree (every descendant, summed VmRSS, shared pages counted in each process) is the fair figure for sessions and transfers.');
}
