// 3. Cold start: from spawning the server to its readiness (breakglassd's and sshd's
// "listening" line; Dropbear has none, so its SSH banner is polled) and to the end of
// the first successful `ssh … true` (what a user waits for after "start" in the web UI).
// Each start reuses a host key made by an untimed first start, as on a device whose
// /perm already holds one. Also the bundle's own cost: `--help` against `node -e 0`.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { STARTERS, breakglassd } from '../lib/servers.mjs';
import { run } from '../lib/proc.mjs';
import { bundleComposition } from '../lib/bundle.mjs';

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

  await measureBundle(ctx, reps);
}

/**
 * The bundle alone: how long plain node needs to load it and print --help, against
 * `node -e 0`, and the same code minified (an experiment built into the temp dir, to
 * show what minification would buy), plus what the bundle is made of.
 */
async function measureBundle(ctx, reps) {
  const startup = ctx.section('startup', 'Bundle startup (breakglassd only)', {
    columns: ['breakglassd', 'minified', 'node'],
    ratios: [['breakglassd', 'node'], ['minified', 'breakglassd']],
  });
  const help = startup.row('`--help`, wall time', 'ms', 'lower', {
    commands: { breakglassd: 'node dist/breakglassd.js --help', minified: 'node /tmp/…/breakglassd.min.js --help', node: 'node -e 0' },
  });
  const peak = startup.row('`--help`, peak RSS (VmHWM)', 'MiB', 'lower');
  startup.command('node dist/breakglassd.js --help');
  startup.command('node -e 0');
  const bundle = breakglassd.bundle;
  let minified;
  try {
    const composition = await bundleComposition(join(ctx.ws.dir, 'bundle'), { minify: true });
    minified = composition.outfile;
    const total = composition.packages.reduce((sum, [, bytes]) => sum + bytes, 0);
    const top = composition.packages.slice(0, 8).map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)} KiB (${((100 * bytes) / total).toFixed(0)}%)`);
    startup.note(`Bundle size: ${bundle.replace(`${process.cwd()}/`, '')} is ${(statSync(bundle).size / 1024).toFixed(0)} KiB unminified; minified ${(statSync(minified).size / 1024).toFixed(0)} KiB. Largest parts (minified bytes): ${top.join(', ')}.`);
  } catch (error) {
    startup.note(`Bundle composition unavailable: ${error.message}`);
  }
  for (let rep = 0; rep < reps; rep++) {
    ctx.checkTime();
    const variants = [['breakglassd', bundle], ['minified', minified], ['node', undefined]];
    for (const [column, script] of variants) {
      if (column === 'minified' && !script) continue;
      const args = script ? [...breakglassd.nodeArgs, script, '--help'] : ['-e', '0'];
      const result = await run(process.execPath, args, { timeoutMs: 10_000 });
      if (script && (result.code !== 0 || result.stdout.length === 0)) help.fail(column, ctx.reason(result, '--help'));
      else help.add(column, result.ms);
    }
  }
  for (const [column, script] of [['breakglassd', bundle], ['minified', minified], ['node', undefined]]) {
    if (column === 'minified' && !script) continue;
    const result = await run(process.execPath, ['--require', join(import.meta.dirname, '..', 'lib', 'report-hwm.cjs'), ...(script ? [script, '--help'] : ['-e', '0'])], { timeoutMs: 10_000 });
    const match = result.stderr.match(/^bench-hwm (\d+)$/m);
    if (match) peak.add(column, Number(match[1]) / 1024);
    else peak.fail(column, ctx.reason(result, 'VmHWM'));
  }
}
