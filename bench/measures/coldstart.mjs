// 3. Cold start: from spawning the server to its readiness (breakglassd's and sshd's
// "listening" line; Dropbear has none, so its SSH banner is polled) and to the end of
// the first successful `ssh … true` (what a user waits for after "start" in the web UI).
// Each start reuses a host key made by an untimed first start, as on a device whose
// /perm already holds one. Also the bundle's own cost: `--help` against `node -e 0`.
import { statSync, readFileSync, mkdirSync, copyFileSync, readdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { STARTERS, breakglassd, startBreakglassd } from '../lib/servers.mjs';
import { run, sleep } from '../lib/proc.mjs';
import { treeMemory, cpuMs } from '../lib/procfs.mjs';
import { bundleComposition } from '../lib/bundle.mjs';

export async function measureColdStart(ctx) {
  const reps = ctx.quick ? 2 : 10;
  const section = ctx.section('coldstart', 'Cold start', { columns: ctx.names, ratios: ctx.peerRatios() });
  const ready = section.row('spawn → readiness', 'ms', 'lower', { target: { column: 'breakglassd', maxValue: 300 } });
  const firstExec = section.row('spawn → first `ssh true` done', 'ms', 'lower');
  section.command('node dist/breakglassd.js --port 0 --listen 127.0.0.1 --authorized-keys AK --host-key HK --toolbox-dir /dev/shm/…/toolbox --home …   # until "breakglassd: listening on …"');
  section.command('unshare --mount --propagation private -- sh -c \'mount --bind HOME /root && exec /usr/sbin/sshd -D -e -f sshd_config -p PORT\'   # until "Server listening on 127.0.0.1 port PORT"');
  section.command('unshare --mount --propagation private -- sh -c \'mount --bind HOME /root && exec /usr/sbin/dropbear -F -E -s -m -p 127.0.0.1:PORT -r HK -P PIDFILE\'   # until the SSH banner');
  section.command('ssh $OPTS 127.0.0.1 true   # started as soon as the server is ready');

  const names = ctx.names.filter((name) => !ctx.unavailable.has(name));
  for (const name of ctx.names) if (ctx.unavailable.has(name)) { ready.fail(name, ctx.unavailable.get(name)); firstExec.fail(name, ctx.unavailable.get(name)); }
  const coldWs = { dir: join(ctx.ws.dir, 'cold'), shm: join(ctx.ws.shm, 'cold') };
  forgetCodeCache(breakglassd.bundle);
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
        if (rep >= 0) ready.add(name, Number(tReady - t0) / 1e6);
        // After one failed exec only readiness is measured: no 10 s timeout per round.
        if (!firstExec.failed(name)) {
          const result = await ctx.sshTo(server.port, 'true', { timeoutMs: 10_000 });
          const tExec = process.hrtime.bigint();
          if (result.code !== 0) firstExec.fail(name, ctx.reason(result, 'first ssh true'));
          else if (rep >= 0) firstExec.add(name, Number(tExec - t0) / 1e6);
        }
      } finally {
        await server.stop();
      }
    }
  }
  section.note(`${reps} interleaved cold starts per server after one untimed start (which makes the host key). The times include creating the client key files and the port pick, identical for every server (a few ms).`);

  await measureBundle(ctx, ctx.quick ? 2 : 5);
}

/**
 * Removes the bundle's V8 code cache wherever the loader may keep it, so the untimed first
 * start writes it as on a device (after that start's first connection): what a cache holds
 * depends on what ran before it was written (one made during `npm test` holds 1.2 MB
 * against ~0.8 MB, and deserializing it costs a start ~10 ms more).
 */
function forgetCodeCache(bundle) {
  const name = basename(bundle);
  const dirs = [dirname(bundle), join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'breakglass')];
  for (const dir of dirs) {
    let entries = [];
    try {
      entries = readdirSync(dir);
    } catch {
      continue; // no such directory: nothing cached there
    }
    for (const entry of entries) if (entry.startsWith(`.${name}-`) && entry.endsWith('.v8cache')) rmSync(join(dir, entry), { force: true });
  }
}

/**
 * The code cache (scripts/code-cache-loader.cjs) and the file alone: dist/breakglassd.js
 * with its cache warm (the untimed first round writes it), the same with
 * BREAKGLASS_CODE_CACHE=off (V8 compiles the whole bundle, as before the cache), and a
 * copy with no package.json beside it, as on the device. For each: `--help` wall time and
 * peak RSS against `node -e 0`, spawn → readiness, and idle RSS one second after readiness.
 */
async function measureBundle(ctx, reps) {
  const variants = [{ column: 'breakglassd', path: breakglassd.bundle }];
  const startup = ctx.section('startup', 'Bundle startup: code cache and the file alone (breakglassd only)', {
    columns: ['breakglassd', 'nocache', 'device', 'node'],
    ratios: [['breakglassd', 'node'], ['nocache', 'breakglassd'], ['device', 'breakglassd']],
  });
  const help = startup.row('`--help`, wall time', 'ms', 'lower', {
    commands: { breakglassd: 'node dist/breakglassd.js --help', nocache: 'BREAKGLASS_CODE_CACHE=off node dist/breakglassd.js --help', device: 'node /tmp/…/device/breakglassd.js --help', node: 'node -e 0' },
  });
  const helpCpu = startup.row('`--help`, CPU time (user + system)', 'ms', 'lower');
  const peak = startup.row('`--help`, peak RSS (VmHWM)', 'MiB', 'lower');
  // Issue 14's target: a start to readiness within 1.5× of node starting at all; the
  // `node -e 0` cell of this row is the same run as in the `--help` row.
  const ready = startup.row('spawn → readiness, wall time', 'ms', 'lower', { target: { column: 'breakglassd', peer: 'node', maxRatio: 1.5 } });
  const readyCpu = startup.row('spawn → readiness, CPU time of breakglassd', 'ms', 'lower');
  const idle = startup.row('idle RSS, 1 s after readiness', 'MiB', 'lower');
  startup.command('node dist/breakglassd.js --help');
  startup.command('node -e 0');
  variants.push({ column: 'nocache', path: breakglassd.bundle, env: { BREAKGLASS_CODE_CACHE: 'off' } });
  // The device runs the file alone, with no package.json beside it (dist/ has one
  // saying "commonjs" because the repository's says "module"); this copy shows that
  // running it alone costs nothing extra. Its cache lands beside it too.
  const deviceDir = join(ctx.ws.dir, 'device');
  mkdirSync(deviceDir, { recursive: true });
  const deviceCopy = join(deviceDir, 'breakglassd.js');
  copyFileSync(breakglassd.bundle, deviceCopy);
  variants.push({ column: 'device', path: deviceCopy });
  const kib = (path) => (statSync(path).size / 1024).toFixed(0);
  let top = [];
  try {
    const packages = await bundleComposition();
    const total = packages.reduce((sum, [, bytes]) => sum + bytes, 0);
    top = packages.slice(0, 8).map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)} KiB (${((100 * bytes) / total).toFixed(0)}%)`);
  } catch (error) {
    top = [`unknown (${error.message})`];
  }
  startup.note(`Size: ${breakglassd.bundle.replace(`${process.cwd()}/`, '')} ${kib(breakglassd.bundle)} KiB. Largest parts of the minified bundle (esbuild metafile): ${top.join(', ')}.`);
  const wide = [...readFileSync(breakglassd.bundle, 'utf8')].filter((ch) => ch.charCodeAt(0) > 0xff).length;
  if (wide > 0) startup.note(`The bundle as built holds ${wide} character(s) above U+00FF: V8 then keeps the whole source as a two-byte string, for as long as the process runs.`);
  const expWs = { dir: join(ctx.ws.dir, 'bundle-runs'), shm: join(ctx.ws.shm, 'bundle-runs') };
  const preload = join(import.meta.dirname, '..', 'lib', 'report-hwm.cjs');
  for (let rep = -1; rep < reps; rep++) {
    ctx.checkTime();
    for (const { column, path, env } of [...variants, { column: 'node' }]) {
      if (rep >= 0) {
        const args = ['--require', preload, ...(path ? [...breakglassd.nodeArgs, path, '--help'] : ['-e', '0'])];
        const result = await run(process.execPath, args, { timeoutMs: 10_000, env: { ...process.env, ...env } });
        const hwm = result.stderr.match(/^bench-hwm (\d+)$/m);
        const cpu = result.stderr.match(/^bench-cpu (\d+)$/m);
        if (result.code !== 0 || (path && result.stdout.length === 0) || !hwm || !cpu) {
          for (const row of [help, helpCpu, peak]) row.fail(column, ctx.reason(result, '--help'));
        } else {
          help.add(column, result.ms);
          if (!path) ready.add(column, result.ms);
          helpCpu.add(column, Number(cpu[1]) / 1000);
          peak.add(column, Number(hwm[1]) / 1024);
        }
      }
      if (!path || ready.failed(column)) continue;
      // The untimed first round makes each build's host key.
      const t0 = process.hrtime.bigint();
      try {
        const server = await startBreakglassd(expWs, ctx.key, { bundle: path, env });
        if (rep >= 0) {
          ready.add(column, Number(process.hrtime.bigint() - t0) / 1e6);
          readyCpu.add(column, cpuMs(server.pid));
          await sleep(1000);
          idle.add(column, treeMemory(server.pid).mainRss / 2 ** 20);
        }
        await server.stop();
      } catch (error) {
        for (const row of [ready, readyCpu, idle]) row.fail(column, error.message);
      }
    }
  }
  startup.note(`${reps} interleaved runs per variant after one untimed round (which writes each file's code cache and host key).`);
}
