// A web UI restart storm: breakglass-init supervising breakglassd (dontStart, as on a
// device) gets 60 POST /restart for it, 20 one after another and 40 in bursts of 10 at
// once, as a client retrying in a loop or several engineers clicking would. Afterwards
// init still answers, exactly one breakglassd runs (no orphan from an earlier restart),
// its status says so, and an SSH login to it works.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { DIST, connect, exec, sleep, spawnWatched } from './lib/daemon.mjs';

/** A loopback port nobody uses right now (the service's --port must be known up front). */
function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `echo ok` over a fresh login: 'ok' or why not. */
async function loginOk(port, work) {
  try {
    const client = await connect({ port }, work, { timeoutMs: 5000 });
    const r = await exec(client, 'echo ok', { timeoutMs: 5000 });
    client.end();
    return r.stdout === 'ok\n' ? 'ok' : JSON.stringify(r);
  } catch (err) {
    return err.message;
  }
}

function http(port, password, method, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const auth = `Basic ${Buffer.from(`gokrazy:${password}`).toString('base64')}`;
    const req = request({ host: '127.0.0.1', port, method, path, headers: { Authorization: auth, ...headers }, timeout: 10_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.end();
  });
}

async function restart(port, password, service) {
  const status = await http(port, password, 'GET', `/status?path=${encodeURIComponent(service)}`);
  const token = /gokrazy_xsrf=([^;]+)/.exec(String(status.headers['set-cookie']))?.[1] ?? '';
  return http(port, password, 'POST', `/restart?path=${encodeURIComponent(service)}&xsrftoken=${encodeURIComponent(token)}`, { Cookie: `gokrazy_xsrf=${token}` });
}

/** Live processes whose command line holds `needle` (the service's own host key path). */
function processesWith(needle) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      if (cmdline.includes(needle) && state !== 'Z') pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

export async function restartStorm(work, out) {
  const dir = join(work.dir, 'init');
  execFileSync('mkdir', ['-p', dir]);
  const sshPort = await freePort();
  const hostKey = join(dir, 'storm_host_key');
  const service = '/user/breakglass';
  writeFileSync(join(dir, 'config.json'), JSON.stringify({
    hostname: 'stormdevice',
    http: { listen: '127.0.0.1', port: 0, passwordFile: join(dir, 'pw.txt'), socket: join(dir, 'init.sock') },
    services: [{
      path: service,
      dontStart: true,
      command: [process.execPath, join(DIST, 'breakglassd.js'), '--listen', '127.0.0.1', '--port', String(sshPort), '--authorized-keys', work.authorizedKeys,
        '--host-key', hostKey, '--toolbox-dir', join(dir, 'toolbox'), '--home', join(dir, 'home')],
    }],
  }));
  const init = await spawnWatched('breakglass-init', ['--config', join(dir, 'config.json')], { ready: (log) => (/API socket/.test(log) ? /web UI on 127\.0\.0\.1:(\d+)/.exec(log)?.[1] : undefined) });
  try {
    const port = Number(init.ready);
    const password = readFileSync(join(dir, 'pw.txt'), 'utf8').trim();
    const codes = new Map();
    const count = (r) => codes.set(r.status ?? r.message, (codes.get(r.status ?? r.message) ?? 0) + 1);
    const started = Date.now();
    for (let i = 0; i < 20; i++) count(await restart(port, password, service).catch((e) => e));
    for (let burst = 0; burst < 4; burst++) {
      for (const r of await Promise.all(Array.from({ length: 10 }, () => restart(port, password, service).catch((e) => e)))) count(r);
    }
    const stormMs = Date.now() - started;
    // The last restart may still be starting the server: wait (15 s at most) for a login.
    let login = await loginOk(sshPort, work);
    for (const deadline = Date.now() + 15_000; login !== 'ok' && Date.now() < deadline; login = await loginOk(sshPort, work)) await sleep(250);
    await sleep(500);
    const pids = processesWith(hostKey);
    const status = JSON.parse((await http(port, password, 'GET', `/status?path=${encodeURIComponent(service)}`, { Accept: 'application/json' })).body);
    out.figure('web UI restart storm: 20 sequential + 4 bursts of 10 concurrent POST /restart', `${stormMs} ms; answers ${[...codes].map(([k, v]) => `${k}×${v}`).join(' ')}`);
    out.check('after a restart storm init answers, exactly one breakglassd runs (the one its status names) and a login works',
      init.alive() && pids.length === 1 && status.Pid === pids[0] && login === 'ok',
      `init ${init.alive() ? 'alive' : 'DEAD'}; breakglassd processes ${pids.length} (${pids.join(', ')}); status Pid ${status.Pid}; login ${login}`);
  } finally {
    await init.stop();
  }
}
