// Pre-auth abuse: silent TCP connections, banners a byte at a time, a megabyte of random
// bytes and malformed SSH packets after a valid banner, all at once against one
// breakglassd with a short --login-grace-time, while legitimate clients log in and run
// `echo ok`. Each attacker connection's fate (refused, evicted, cut at the grace time)
// comes from the daemon's JSON audit log, matched by source address and port.
import { randomBytes } from 'node:crypto';
import { connect as tcpConnect } from 'node:net';
import { auditEvents, connect, exec, makeWorkdir, procStatus, result, rssSampler, sleep, startDaemon, waitUntil } from './lib/daemon.mjs';

const SIZES = {
  full: { silent: 200, silentSources: 50, slow: 100, slowSources: 25, junkBytes: 1 << 20, logins: 5, graceS: 4, maxStartups: 10 },
  smoke: { silent: 20, silentSources: 5, slow: 4, slowSources: 2, junkBytes: 64 << 10, logins: 1, graceS: 2, maxStartups: 10 },
};

// Each kind of client has its own 127.N.0.0/16, so the per-source cap sees them apart.
const address = (net, i) => `127.${net}.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;
const NET = { silent: 1, slow: 2, junk: 3, malformed: 4, legit: 5, probe: 6 };

const mib = (kib) => (kib / 1024).toFixed(1);

/** A raw TCP connection whose whole life is recorded (server banner seen, close time). */
function rawConnection(daemon, localAddress) {
  const socket = tcpConnect({ host: '127.0.0.1', port: daemon.port, localAddress });
  const t = { socket, localAddress, openedAt: Date.now(), localPort: 0, received: Buffer.alloc(0), closedAt: 0, error: '' };
  socket.on('connect', () => (t.localPort = socket.localPort));
  socket.on('data', (c) => {
    if (t.received.length < 4096) t.received = Buffer.concat([t.received, c]);
  });
  socket.on('error', (err) => (t.error = err.code ?? err.message));
  t.closed = new Promise((r) => socket.once('close', () => r((t.closedAt = Date.now()))));
  t.key = () => `${localAddress}:${t.localPort}`;
  t.gotBanner = () => t.received.toString('latin1').includes('\r\n');
  return t;
}

/** An unencrypted SSH binary packet (RFC 4253 §6) with the given payload. */
function packet(payload, padLen) {
  let pad = padLen ?? 8 - ((5 + payload.length) % 8);
  if (padLen === undefined && pad < 4) pad += 8;
  const len = 1 + payload.length + pad;
  const b = Buffer.alloc(4 + len);
  b.writeUInt32BE(len, 0);
  b[4] = pad;
  payload.copy(b, 5);
  return b;
}
const u32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
const sshString = (s) => Buffer.concat([u32(Buffer.byteLength(s)), Buffer.from(s)]);

/** Malformed input after a valid client banner: [label, bytes]. */
const MALFORMED = [
  ['packet length 0xffffffff', Buffer.concat([u32(0xffffffff), Buffer.alloc(16)])],
  ['packet length 0', Buffer.alloc(16)],
  ['padding length (200) past the packet (12 bytes)', Buffer.concat([u32(12), Buffer.from([200]), Buffer.alloc(11)])],
  ['unknown message type 200 before key exchange', packet(Buffer.from([200, 1, 2, 3]))],
  ['KEXINIT whose first name-list claims 2 GiB', packet(Buffer.concat([Buffer.from([20]), Buffer.alloc(16, 7), u32(0x7fffffff), Buffer.from('curve25519-sha256')]))],
  ['NEWKEYS before any key exchange', packet(Buffer.from([21]))],
  ['SERVICE_REQUEST ssh-userauth before key exchange', packet(Buffer.concat([Buffer.from([5]), sshString('ssh-userauth')]))],
  ['packet announced as 32 KiB, 10 bytes sent, then silence', Buffer.concat([u32(32768), Buffer.alloc(10)])],
  ['2000 IGNORE packets', Buffer.concat(Array.from({ length: 2000 }, () => packet(Buffer.concat([Buffer.from([2]), sshString('x'.repeat(32))]))))],
];

/** What the audit log says ended each connection, keyed by "addr:port". */
function fates(events) {
  const byConn = new Map();
  const out = new Map();
  for (const e of events) {
    if (e.event === 'connect' || e.event === 'refused') byConn.set(e.conn, e.from);
    if (['refused', 'evicted', 'login-timeout'].includes(e.event)) out.set(e.from, e);
    else if (e.event === 'error' && byConn.has(e.conn) && !out.has(byConn.get(e.conn))) out.set(byConn.get(e.conn), e);
    // ssh2 drops errors before the client's banner line unreported: only the disconnect is logged.
    else if (e.event === 'disconnect' && !out.has(e.from)) out.set(e.from, { event: 'closed before a banner line, no reason logged' });
  }
  return out;
}

/** The most unauthenticated connections held at once, in total and by one source. */
function pendingPeaks(events) {
  const pending = new Map();
  let total = 0;
  let perSource = 0;
  for (const e of events) {
    if (e.event === 'connect') pending.set(e.conn, e.from.replace(/:\d+$/, ''));
    else if ((e.event === 'auth' && e.result === 'ok') || e.event === 'disconnect' || e.event === 'evicted') pending.delete(e.conn);
    else continue;
    total = Math.max(total, pending.size);
    const counts = new Map();
    for (const src of pending.values()) counts.set(src, (counts.get(src) ?? 0) + 1);
    perSource = Math.max(perSource, ...counts.values(), 0);
  }
  return { total, perSource };
}

function tally(conns, fateOf) {
  const counts = {};
  for (const c of conns) {
    const f = fateOf.get(c.key());
    const name = f ? (f.event === 'error' ? 'protocol error' : f.event) : c.closedAt ? 'closed' : 'still open';
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ');
}

/** One timed login + `echo ok` from its own address. */
async function timedLogin(daemon, work, localAddress) {
  const t0 = Date.now();
  const client = await connect(daemon, work, { timeoutMs: 20_000, localAddress });
  const t1 = Date.now();
  try {
    const r = await exec(client, 'echo ok', { timeoutMs: 10_000 });
    if (r.stdout !== 'ok\n' || r.code !== 0) throw new Error(`echo ok gave ${JSON.stringify(r)}`);
    return { loginMs: t1 - t0, execMs: Date.now() - t1 };
  } finally {
    client.end();
  }
}

/** Writes `bytes` of random data as fast as the socket takes it; resolves with what was written. */
async function writeJunk(t, bytes) {
  await new Promise((r) => (t.socket.connecting ? t.socket.once('connect', r) : r()));
  let written = 0;
  while (written < bytes && !t.closedAt && !t.socket.destroyed) {
    const chunk = randomBytes(Math.min(16384, bytes - written));
    const ok = t.socket.write(chunk);
    written += chunk.length;
    if (!ok) await Promise.race([new Promise((r) => t.socket.once('drain', r)), t.closed]);
  }
  return written;
}

export async function runAbuse({ smoke = false } = {}) {
  const size = smoke ? SIZES.smoke : SIZES.full;
  const graceMs = size.graceS * 1000;
  const out = result('abuse', 'Pre-auth abuse');
  const work = makeWorkdir('bg-abuse-');
  const daemon = await startDaemon(work, ['--log-format', 'json', '--login-grace-time', `${size.graceS}s`, '--max-startups', String(size.maxStartups)]);
  const attackers = [];
  let slowTimer;
  try {
    out.figure('daemon flags', `--login-grace-time ${size.graceS}s --max-startups ${size.maxStartups} (at most 3 per source address)`);
    const quiet = await timedLogin(daemon, work, address(NET.legit, 250));
    await sleep(300);
    const rssBefore = daemon.rssKiB();
    const fdsBefore = daemon.fds();
    out.figure('login + echo ok on an idle daemon', `${quiet.loginMs} ms + ${quiet.execMs} ms`);
    const sampler = rssSampler(daemon);
    const t0 = Date.now();

    const silent = Array.from({ length: size.silent }, (_, i) => rawConnection(daemon, address(NET.silent, i % size.silentSources)));
    const slow = Array.from({ length: size.slow }, (_, i) => rawConnection(daemon, address(NET.slow, i % size.slowSources)));
    const junk = rawConnection(daemon, address(NET.junk, 0));
    const malformed = MALFORMED.map(([label, bytes], i) => ({ label, bytes, t: rawConnection(daemon, address(NET.malformed, i)) }));
    attackers.push(...silent, ...slow, junk, ...malformed.map((m) => m.t));

    // Slow banners: one shared 100 ms tick writes the next byte of "SSH-2.0-sss…" on each.
    const slowBanner = Buffer.from(`SSH-2.0-${'s'.repeat(4000)}`);
    let slowAt = 0;
    slowTimer = setInterval(() => {
      for (const c of slow) if (!c.closedAt && c.localPort && slowAt < slowBanner.length) c.socket.write(slowBanner.subarray(slowAt, slowAt + 1));
      slowAt++;
    }, 100);

    const junkDone = writeJunk(junk, size.junkBytes);
    // Malformed packets follow a valid banner, once the server's banner arrived.
    const malformedDone = Promise.all(malformed.map(async (m) => {
      await new Promise((r) => m.t.socket.once('connect', r));
      m.t.socket.write('SSH-2.0-abuse_1.0\r\n');
      if (!(await waitUntil(() => m.t.gotBanner() || m.t.closedAt, 3000))) return;
      m.sentAt = Date.now();
      if (!m.t.closedAt) m.t.socket.write(m.bytes);
    }));

    await sleep(500);
    const logins = [];
    for (let i = 0; i < size.logins; i++) {
      try {
        logins.push(await timedLogin(daemon, work, address(NET.legit, i)));
      } catch (err) {
        logins.push({ error: err.message });
      }
      await sleep(200);
    }
    const junkWritten = await junkDone;
    await malformedDone;

    // Every attacker connection should be gone by the grace time; allow 1.5 s past it.
    await waitUntil(() => attackers.every((c) => c.closedAt), Math.max(0, t0 + graceMs + 1500 - Date.now()));
    const stillOpen = attackers.filter((c) => !c.closedAt);
    clearInterval(slowTimer);
    for (const c of attackers) c.socket.destroy();
    await Promise.all(attackers.map((c) => c.closed));
    await sleep(1500);
    const rssPeak = sampler.stop();
    const rssAfter = daemon.rssKiB();
    const fdsAfter = daemon.fds();

    const events = auditEvents(daemon);
    const fateOf = fates(events);
    out.figure(`${size.silent} silent connections from ${size.silentSources} addresses`, tally(silent, fateOf));
    out.figure(`${size.slow} slow banners (a byte per 100 ms) from ${size.slowSources} addresses`, tally(slow, fateOf));
    const junkFate = fateOf.get(junk.key());
    out.figure(`${size.junkBytes >= 1 << 20 ? `${size.junkBytes >> 20} MiB` : `${size.junkBytes >> 10} KiB`} of random bytes on one connection`,
      `closed by the server after ${junk.closedAt - junk.openedAt} ms, ${(junkWritten / 1024).toFixed(0)} KiB written by then (${junkFate ? `${junkFate.event}${junkFate.message ? `: ${junkFate.message}` : ''}` : 'no audit event'})`);
    for (const m of malformed) {
      const f = fateOf.get(m.t.key());
      const after = m.sentAt && m.t.closedAt ? `${m.t.closedAt - m.sentAt} ms after it was sent` : 'not sent (closed before the banner)';
      out.figure(`malformed: ${m.label}`, `closed ${after} (${f ? `${f.event}${f.message ? `: ${f.message}` : ''}` : 'no audit event'})`);
    }
    logins.forEach((l, i) => out.figure(`legitimate login ${i + 1} of ${size.logins} during the abuse`, l.error ? `FAILED: ${l.error}` : `login ${l.loginMs} ms + echo ok ${l.execMs} ms`));
    const peaks = pendingPeaks(events);
    out.figure('most unauthenticated connections held at once', `${peaks.total} in total, ${peaks.perSource} from one address`);
    out.figure('daemon RSS before / peak / after', `${mib(rssBefore)} / ${mib(rssPeak)} / ${mib(rssAfter)} MiB (VmHWM ${mib(procStatus(daemon.child.pid).VmHWM ?? NaN)} MiB)`);
    out.figure('daemon open fds before / after', `${fdsBefore} / ${fdsAfter}`);

    const floodCut = attackers.filter((c) => fateOf.get(c.key())?.event === 'login-timeout').map((c) => c.closedAt - c.openedAt);
    out.figure('flood connections cut at the grace time (the rest were evicted by newcomers first)', floodCut.length ? `${floodCut.length}, after ${Math.min(...floodCut)}–${Math.max(...floodCut)} ms` : 'none');

    // On the quiet daemon again: 5 silent connections from one address.
    const probe = Array.from({ length: 5 }, () => rawConnection(daemon, address(NET.probe, 0)));
    await waitUntil(() => probe.every((c) => c.closedAt), graceMs + 1500);
    for (const c of probe) c.socket.destroy();
    await Promise.all(probe.map((c) => c.closed));
    const probeFate = fates(auditEvents(daemon));
    const refused = probe.filter((c) => probeFate.get(c.key())?.event === 'refused');
    const cut = probe.filter((c) => probeFate.get(c.key())?.event === 'login-timeout');
    const lifetimes = cut.map((c) => c.closedAt - c.openedAt);
    out.figure('5 silent connections from one address on a quiet daemon', `${refused.length} refused at once (after ${refused.map((c) => c.closedAt - c.openedAt).join(', ')} ms), ${cut.length} cut at the grace time after ${lifetimes.join(', ')} ms`);
    out.check('per address: 3 unauthenticated connections admitted, the 4th and 5th refused', refused.length === 2 && cut.length === 3, tally(probe, probeFate));
    out.check(`idle connections are cut at the grace time (${graceMs} ms), not before and not much later`, cut.length > 0 && lifetimes.every((ms) => ms >= graceMs - 50 && ms <= graceMs + 1500), `${lifetimes.join(', ')} ms`);
    out.check('every legitimate login during the abuse succeeded', logins.every((l) => !l.error), logins.find((l) => l.error)?.error ?? `${logins.length} of ${logins.length}`);
    out.check(`no attacker connection outlives the grace time (${size.graceS} s + 1.5 s)`, stillOpen.length === 0, stillOpen.length ? `${stillOpen.length} still open` : `${attackers.length} closed`);
    out.check(`never more than ${size.maxStartups} unauthenticated connections, 3 per address`, peaks.total <= size.maxStartups && peaks.perSource <= 3, `${peaks.total} / ${peaks.perSource}`);
    out.check('every malformed packet ends its connection by the grace time', malformed.every((m) => m.t.closedAt && m.t.closedAt - m.t.openedAt <= graceMs + 1500), '');
    out.check('open fds back to the level before the abuse', fdsAfter <= fdsBefore + 2, `${fdsBefore} → ${fdsAfter}`);
    const internal = events.filter((e) => /uncaught|internal/i.test(`${e.event} ${e.message ?? ''}`));
    out.check('no internal error in the audit log', internal.length === 0, internal.slice(0, 2).map((e) => JSON.stringify(e)).join(' '));
    out.check('daemon alive after the abuse', daemon.alive());
  } finally {
    clearInterval(slowTimer);
    for (const c of attackers) c.socket.destroy();
    await daemon.stop();
    work.remove();
  }
  return out.r;
}
