// 3. Cold start: from spawning the server to its readiness (breakglassd's and sshd's
// "listening" line; Dropbear has none, so its SSH banner is polled) and to the end of
// the first successful `ssh … true` (what a user waits for after "start" in the web UI).
// Each start reuses a host key made by an untimed first start, as on a device whose
// /perm already holds one. Also the bundle's own cost: `--help` against `node -e 0`.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { STARTERS, REPO } from '../lib/servers.mjs';
import { run } from '../lib/proc.mjs';

export async function measureColdStart(ctx) {
  const reps = ctx.quick ? 2 : 10;
  const section = ctx.section('coldstart', 'Cold start', { columns: ctx.names, ratios: ctx.peerRatios() });
  const ready = section.row('spawn → readiness', 'ms', 'lower', { target: { column: 'breakglassd', maxValue: 300 } });
  const firstExec = section.row('spawn → first `ssh true` done', 'ms', 'lower');
  section.command('node dist/breakglassd.js --port 0 --listen 127.0.0.1 --authorized-keys AK --host-key HK --toolbox-dir /dev/shm/…/toolbox --home …   # until "breakglassd: listening on …"');
  section.command('/usr/sbin/sshd -D -e -f sshd_config -p PORT   # until "Server listening on 127.0.0.1 port PORT"');
  section.command('unshare --mount -- sh -c \'mount --bind HOME /root && exec /usr/sbin/dropbear -F -E -s -m -p 127.0.0.1:PORT -r HK -P PIDFILE\'   # until the SSH banner');
  section.command('ssh $OPTS 127.0.0.1 true   # started as soon as the server is ready');

  const names = ctx.names.filter((name) => !ctx.unavailable.has(name));
  for (const name of ctx.names) if (ctx.unavailable.has(name)) { ready.fail(name, ctx.unavailable.get(name)); firstExec.fail(name, ctx.unavailable.get(name)); }
  const coldWs = { dir: join(ctx.ws.dir, 'cold'), shm: join(ctx.ws.shm, 'cold') };
  for (let rep = -1; rep < reps; rep++) {
    for (const name of names) {
      ctx.checkTime();
      if (ready.failed(name)) continue;
      const t0 = process.hrtime.bigint();
      let server;
      try {
        server = await STARTERS[name](coldWs, ctx.key);
      } catch (error) {
        ready.fail(name, `start: ${error.message}`);
        firstExec.fail(name, `start: ${error.message}`);
        continue;
      }
      const tReady = process.hrtime.bigint();
      try {
        const result = await ctx.sshTo(server.port, 'true', { timeoutMs: 20_000 });
        const tExec = process.hrtime.bigint();
        if (result.code !== 0) {
          firstExec.fail(name, ctx.reason(result, 'first ssh true'));
        } else if (rep >= 0) {
          firstExec.add(name, Number(tExec - t0) / 1e6);
        }
        if (rep >= 0) ready.add(name, Number(tReady - t0) / 1e6);
      } finally {
        await server.stop();
      }
    }
  }
  section.note(`${reps} interleaved cold starts per server after one untimed start (which makes the host key). The times include creating the client key files and the port pick, identical for every server (a few ms).`);

  // The bundle alone: how long plain node needs to load and run it.
  const startup = ctx.section('startup', 'Bundle startup (breakglassd only)', { columns: ['breakglassd', 'node'], ratios: [['breakglassd', 'node']] });
  const help = startup.row('`node dist/breakglassd.js --help` vs `node -e 0`', 'ms', 'lower');
  startup.command('node dist/breakglassd.js --help');
  startup.command('node -e 0');
  const bundle = join(REPO, 'dist', 'breakglassd.js');
  for (let rep = 0; rep < reps; rep++) {
    const a = await run(process.execPath, [bundle, '--help'], { timeoutMs: 10_000 });
    if (a.code !== 0 || a.stdout.length === 0) help.fail('breakglassd', ctx.reason(a, '--help'));
    else help.add('breakglassd', a.ms);
    const b = await run(process.execPath, ['-e', '0'], { timeoutMs: 10_000 });
    help.add('node', b.ms);
  }
  try {
    startup.note(`Bundle size: dist/breakglassd.js is ${(statSync(bundle).size / 1024).toFixed(0)} KiB (unminified esbuild bundle).`);
  } catch {
    startup.note('Bundle size: dist/breakglassd.js not built.');
  }
}
