// Load: many interactive sessions at once, many SFTP transfers at once, and a long run
// of sequential logins, with the daemon's RSS and open fds before and after.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, exec, makeWorkdir, result, sleep, sourceAddress, startDaemon, waitUntil } from './lib/daemon.mjs';

/** Opens a pty shell and waits for its prompt; resolves { channel, screen() }. */
function shell(client, timeoutMs = 15_000) {
  return new Promise((resolveShell, reject) => {
    const timer = setTimeout(() => reject(new Error('no prompt within the time limit')), timeoutMs);
    client.shell({ term: 'xterm', cols: 80, rows: 24 }, (err, channel) => {
      if (err) return reject(err);
      let screen = '';
      channel.on('data', (c) => {
        screen += c.toString();
        if (screen.length > 65536) screen = screen.slice(-32768);
        if (screen.includes('# ')) {
          clearTimeout(timer);
          resolveShell({ channel, screen: () => screen });
        }
      });
    });
  });
}

const sha = (buf) => createHash('sha256').update(buf).digest('hex');
const mib = (kib) => (kib / 1024).toFixed(1);

async function concurrentShells(daemon, work, out, count) {
  const baseline = daemon.rssKiB();
  const sessions = [];
  const failures = [];
  // Logins in waves below --max-startups: the cap is for unauthenticated connections.
  for (let i = 0; i < count; i += 8) {
    const wave = Array.from({ length: Math.min(8, count - i) }, async (_, j) => {
      try {
        const client = await connect(daemon, work, { timeoutMs: 20_000, localAddress: sourceAddress(i + j) });
        const s = await shell(client);
        sessions.push({ client, ...s, n: i + j });
      } catch (err) {
        failures.push(err.message);
      }
    });
    await Promise.all(wave);
  }
  for (const s of sessions) s.channel.write(`echo ready-${s.n}\r`);
  const answered = await waitUntil(() => sessions.every((s) => s.screen().includes(`ready-${s.n}\r\n`)), 30_000);
  const held = daemon.rssKiB();
  out.figure(`${count} concurrent pty sessions: daemon RSS`, `${mib(baseline)} MiB idle → ${mib(held)} MiB held`);
  out.figure('memory per interactive session', `${((held - baseline) / Math.max(1, sessions.length)).toFixed(0)} KiB`);
  out.check(`${count} concurrent interactive sessions log in, get a prompt and answer`, failures.length === 0 && sessions.length === count && answered,
    failures.length ? `${failures.length} failed: ${failures[0]}` : `${sessions.length} held`);
  await Promise.all(sessions.map((s) => new Promise((r) => {
    s.channel.once('close', r);
    s.channel.write('exit\r');
    setTimeout(r, 5000);
  })));
  for (const s of sessions) s.client.end();
}

async function concurrentSftp(daemon, work, out, count, bytes) {
  const dir = join(work.dir, 'sftp-load');
  mkdirSync(dir);
  const payloads = Array.from({ length: count }, () => randomBytes(bytes));
  payloads.forEach((p, i) => writeFileSync(join(dir, `src-${i}`), p));
  const errors = [];
  // Logins in waves below --max-startups (past it a newcomer evicts the oldest pending
  // handshake); then every transfer runs at once.
  const clients = [];
  for (let i = 0; i < count; i += 8) {
    const wave = await Promise.all(Array.from({ length: Math.min(8, count - i) }, (_, j) =>
      connect(daemon, work, { timeoutMs: 20_000, localAddress: sourceAddress(i + j) }).catch((err) => err)));
    clients.push(...wave);
  }
  const started = Date.now();
  await Promise.all(payloads.map(async (payload, i) => {
    const client = clients[i] instanceof Error ? undefined : clients[i];
    try {
      if (!client) throw clients[i];
      const sftp = await new Promise((res, rej) => client.sftp((err, s) => (err ? rej(err) : res(s))));
      const put = (a, b) => new Promise((res, rej) => sftp.fastPut(a, b, (err) => (err ? rej(err) : res())));
      const get = (a, b) => new Promise((res, rej) => sftp.fastGet(a, b, (err) => (err ? rej(err) : res())));
      await put(join(dir, `src-${i}`), join(dir, `up-${i}`));
      await get(join(dir, `up-${i}`), join(dir, `down-${i}`));
      if (sha(readFileSync(join(dir, `down-${i}`))) !== sha(payload)) errors.push(`transfer ${i}: bytes differ`);
    } catch (err) {
      errors.push(`transfer ${i}: ${err.message}`);
    } finally {
      client?.end();
    }
  }));
  const seconds = (Date.now() - started) / 1000;
  out.figure(`${count} concurrent SFTP up+down of ${bytes >= 1048576 ? `${bytes / 1048576} MiB` : `${bytes / 1024} KiB`} each`, `${seconds.toFixed(1)} s, ${((2 * count * bytes) / 1048576 / seconds).toFixed(1)} MiB/s in total`);
  out.check(`${count} concurrent SFTP transfers complete with identical bytes`, errors.length === 0, errors.slice(0, 3).join('; '));
}

async function sequentialLogins(daemon, work, out, count) {
  const samples = [];
  const errors = [];
  const warmup = Math.max(1, Math.floor(count / 5));
  const startedAt = Date.now();
  for (let i = 0; i < count; i++) {
    if (i === warmup) {
      await sleep(500);
      samples.push({ at: i, rss: daemon.rssKiB(), fds: daemon.fds() });
    }
    try {
      const client = await connect(daemon, work);
      const r = await exec(client, 'echo $$');
      if (r.code !== 0) errors.push(`#${i}: exit ${r.code}`);
      client.end();
    } catch (err) {
      errors.push(`#${i}: ${err.message}`);
    }
  }
  await sleep(1000);
  const end = { at: count, rss: daemon.rssKiB(), fds: daemon.fds() };
  const start = samples[0] ?? end;
  const perLogin = (Date.now() - startedAt) / count;
  out.figure(`${count} sequential connect+exec`, `${perLogin.toFixed(0)} ms each; after ${start.at}: RSS ${mib(start.rss)} MiB, ${start.fds} fds; after ${count}: RSS ${mib(end.rss)} MiB, ${end.fds} fds`);
  out.check(`${count} sequential logins all succeed`, errors.length === 0, errors.slice(0, 3).join('; '));
  // Noise: V8 grows its heap in steps; a leak of even 10 KiB per login over 800 logins is 8 MiB.
  out.check('no fd growth across sequential logins', end.fds <= start.fds + 2, `${start.fds} → ${end.fds}`);
  out.check('RSS stays flat across sequential logins (< 16 MiB growth after warm-up)', end.rss - start.rss < 16 * 1024, `${mib(start.rss)} → ${mib(end.rss)} MiB`);
}

export const LOAD_SIZES = {
  quick: { shells: 10, transfers: 4, transferBytes: 256 * 1024, logins: 25 },
  full: { shells: 100, transfers: 20, transferBytes: 8 * 1048576, logins: 1000 },
};

/** `sizes` overrides the counts of the mode (LOAD_SIZES) one by one. */
export async function runLoad({ quick, sizes = {} }) {
  const n = { ...(quick ? LOAD_SIZES.quick : LOAD_SIZES.full), ...sizes };
  const out = result('load', 'Load');
  const work = makeWorkdir();
  const daemon = await startDaemon(work);
  try {
    await sleep(300);
    await concurrentShells(daemon, work, out, n.shells);
    await concurrentSftp(daemon, work, out, n.transfers, n.transferBytes);
    await sequentialLogins(daemon, work, out, n.logins);
    out.check('daemon alive after the load', daemon.alive());
  } finally {
    await daemon.stop();
    work.remove();
  }
  return out.r;
}
