// One breakglassd under stress: started from dist/ on 127.0.0.1 with its own key, dirs
// and flags, watched through /proc (RSS, open fds) and its audit log. Every helper here
// is bounded in time.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'ssh2';

export const REPO = resolve(import.meta.dirname, '../..');
export const DIST = join(REPO, 'dist');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A scratch dir with an ed25519 client key authorised in it. */
export function makeWorkdir(prefix = 'bg-stress-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const key = join(dir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'stress', '-f', key]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${key}.pub`));
  return { dir, key, privateKey: readFileSync(key), authorizedKeys: join(dir, 'authorized_keys'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// A run cut short (a category over its time limit, an exception) leaves no daemon behind.
const running = new Set();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Spawns one of our programs (dist/NAME.js) with its stderr kept (a bounded tail) and
 * waits until `ready(log)` returns a value; an early exit or the time limit kills it
 * and rejects with the log. `stop()` sends SIGTERM, SIGKILL after `stopGraceMs`.
 */
export async function spawnWatched(program, args, { ready, timeoutMs = 15_000, stopGraceMs = 5000 }) {
  const child = spawn(process.execPath, [join(DIST, `${program}.js`), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let log = '';
  child.stderr.on('data', (c) => {
    log += c.toString();
    if (log.length > 4 << 20) log = log.slice(-(2 << 20));
  });
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const deadline = Date.now() + timeoutMs;
  let value;
  while ((value = ready(log)) === undefined) {
    if (!alive()) throw new Error(`${program} exited early:\n${log}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${program} was not ready within ${timeoutMs / 1000} s:\n${log}`);
    }
    await sleep(20);
  }
  return {
    child, exited, alive, ready: value,
    log: () => log,
    async stop() {
      if (alive()) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), stopGraceMs);
        await exited;
        clearTimeout(t);
      }
      return exited;
    },
  };
}

/** Starts breakglassd; resolves once it listens. `args` are extra flags. */
export async function startDaemon(work, args = [], { name = 'daemon' } = {}) {
  const base = join(work.dir, name);
  mkdirSync(base, { recursive: true });
  const toolboxDir = join(base, 'toolbox');
  const watched = await spawnWatched('breakglassd', [
    '--port', '0', '--listen', '127.0.0.1', '--authorized-keys', work.authorizedKeys,
    '--host-key', join(base, 'host_key'), '--toolbox-dir', toolboxDir, '--home', join(base, 'home'), ...args,
  ], { ready: (log) => /listening on 127\.0\.0\.1:(\d+)/.exec(log)?.[1] });
  const { child } = watched;
  return {
    ...watched,
    port: Number(watched.ready),
    toolboxDir,
    rssKiB: () => procStatus(child.pid).VmRSS ?? NaN,
    fds: () => { try { return readdirSync(`/proc/${child.pid}/fd`).length; } catch { return NaN; } },
  };
}

/** The daemon's audit events so far (started with --log-format json): parsed lines. */
export function auditEvents(daemon) {
  const out = [];
  for (const line of daemon.log().split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // a line cut by the log tail
    }
  }
  return out;
}

/** Samples the daemon's RSS every `everyMs`; `stop()` returns the peak in KiB. */
export function rssSampler(daemon, everyMs = 100) {
  let peak = 0;
  const take = () => {
    const v = daemon.rssKiB();
    if (v > peak) peak = v;
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}

/** Polls `cond` every `stepMs` until it holds (true) or `ms` have passed (false). */
export async function waitUntil(cond, ms, stepMs = 20) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) return false;
    await sleep(stepMs);
  }
  return true;
}

/** /proc/PID/status as numbers (kB fields) or strings. */
export function procStatus(pid) {
  const out = {};
  try {
    for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
      const m = /^(\w+):\s+(\d+)(?: kB)?$/.exec(line);
      if (m) out[m[1]] = Number(m[2]);
    }
  } catch {
    // gone
  }
  return out;
}

/**
 * An authenticated ssh2 connection, rejected after timeoutMs. `localAddress` picks the
 * source (127.x.y.z): breakglassd allows 3 unauthenticated connections per address.
 */
export function connect(daemon, work, { timeoutMs = 10_000, localAddress } = {}) {
  return new Promise((resolveReady, reject) => {
    const client = new Client();
    const timer = setTimeout(() => {
      client.end();
      reject(new Error(`login not done within ${timeoutMs} ms`));
    }, timeoutMs);
    client.once('ready', () => {
      clearTimeout(timer);
      resolveReady(client);
    });
    // Errors after the login (a reset while closing) must not crash the run: note them only.
    client.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    client.connect({ host: '127.0.0.1', port: daemon.port, username: 'root', privateKey: work.privateKey, readyTimeout: timeoutMs, localAddress });
  });
}

/** exec on a connection: stdout, stderr and the exit code (listeners in the callback: fast servers). */
export function exec(client, command, { timeoutMs = 15_000, input } = {}) {
  return new Promise((resolveDone, reject) => {
    const timer = setTimeout(() => reject(new Error(`exec ${command} not done within ${timeoutMs} ms`)), timeoutMs);
    client.exec(command, (err, channel) => {
      if (err) {
        clearTimeout(timer);
        return reject(err);
      }
      let stdout = '';
      let stderr = '';
      let code = null;
      channel.on('data', (c) => (stdout += c.toString()));
      channel.stderr.on('data', (c) => (stderr += c.toString()));
      channel.once('exit', (c) => (code = c));
      channel.once('close', () => {
        clearTimeout(timer);
        resolveDone({ stdout, stderr, code });
      });
      if (input !== undefined) channel.end(input);
      else channel.end();
    });
  });
}

/** Source address number n of many (127.0.1.1 …), for logins in parallel. */
export const sourceAddress = (n) => `127.0.${1 + Math.floor(n / 250) % 250}.${1 + (n % 250)}`;

/** A category's result: figures to report and checks that must hold. */
export function result(id, title) {
  const r = { id, title, figures: [], checks: [] };
  return {
    r,
    figure(label, value) {
      r.figures.push({ label, value: String(value) });
    },
    check(label, ok, detail = '') {
      r.checks.push({ label, ok: Boolean(ok), detail: String(detail) });
    },
  };
}
