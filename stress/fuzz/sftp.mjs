// Target 2: SFTP request packets on a raw `sftp` subsystem channel. After INIT/VERSION,
// batches of 1–4 packets: well-formed requests of types 3..20 and 200 with random
// fields, packets with a correct frame but random payload, and broken frames (length
// claims larger than the payload, ≤ 64 KiB, or smaller; truncated packets; unknown
// types). After each batch a REALPATH probe must be answered, or the channel must
// close. A batch with a broken frame is followed by a flush of 256 KiB + 8 bytes of
// 0x7f: whatever packet the server still waits for is then complete and malformed
// (every string length reads as 0x7f7f7f7f, as does the next packet length, which is
// over the 256 KiB limit yet below 2^31), so the server must answer or close.
//
// Safety: every path field is WORK/fuzz-sftp/ plus one or two components from a pool
// (no `.` or `/`), or garbage without `.` or `/` (relative, so inside the SFTP root =
// the daemon's toolbox dir). No byte 0x2e or 0x2f appears in any numeric field or
// garbage, so even a desynchronised parser cannot read a string that starts with `/`
// or is `.`/`..`, except our own full paths.
//
// A packet that drops the whole SSH connection (not just its channel) is a finding;
// the report names the cause from the daemon's log. FUZZ_FULLHEX=1 prints the whole
// batch in examples (otherwise the first 48 bytes of each packet).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { connect, sleep, waitUntil } from '../lib/daemon.mjs';
import { budgetFor, internalErrors, logSince, probeAlive, report } from './common.mjs';
import { Rng } from './random.mjs';

const BAD = [0x2e, 0x2f];
const REPLY_NAMES = { 2: 'VERSION', 101: 'STATUS', 102: 'HANDLE', 103: 'DATA', 104: 'NAME', 105: 'ATTRS', 201: 'EXTENDED_REPLY' };
const POOL = ['a', 'b', 'c', 'dir1', 'dir2', 'link1', 'link2', 'f-1', 'zz', 'x y', 'é', 'long' + 'q'.repeat(200)];
const EXT_NAMES = ['posix-rename@openssh.com', 'hardlink@openssh.com', 'fsync@openssh.com', 'statvfs@openssh.com', 'fstatvfs@openssh.com',
  'limits@openssh.com', 'expand-path@openssh.com', 'copy-data', 'home-directory', 'lsetstat@openssh.com', 'users-groups-by-id@openssh.com', ''];

const hasBad = (buf) => buf.some((b) => BAD.includes(b));

function u32(n) {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}
function u64(n) {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}
const str = (data) => {
  const body = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
  return Buffer.concat([u32(body.length), body]);
};

/** A uint32 without 0x2e/0x2f bytes. */
function safeU32(rng, gen = () => rng.uint32()) {
  for (;;) {
    const v = gen();
    if (!hasBad(u32(v))) return v;
  }
}

export class Gen {
  constructor(rng, work) {
    this.rng = rng;
    this.base = join(work.dir, 'fuzz-sftp');
    this.handles = [];
    /** Handles the current channel handed out and we did not CLOSE (hex). */
    this.live = new Set();
    this.nextId = 1;
  }

  reqid() {
    for (;;) {
      const id = this.nextId++;
      if (!hasBad(u32(id))) return id;
    }
  }

  garbage(n = this.rng.int(1, 24)) {
    return this.rng.bytes(n, BAD);
  }

  path() {
    const { rng } = this;
    return rng.weighted([
      [8, () => `${this.base}/${rng.pick(POOL)}`],
      [3, () => `${this.base}/${rng.pick(POOL)}/${rng.pick(POOL)}`],
      [1, () => this.base],
      [2, () => `${this.base}/${rng.pick(POOL)}${this.garbage(rng.int(1, 6)).toString('latin1')}`],
      [1, () => this.garbage()],
    ])();
  }

  handle() {
    const { rng } = this;
    // The same random numbers are drawn whatever the server answered so far, so the
    // stream of inputs depends on the seed only (a reused handle's value may differ).
    const known = rng.chance(0.7);
    const index = rng.next();
    const other = rng.weighted([[3, () => u32(safeU32(rng, () => rng.int(0, 300)))], [1, () => this.garbage(rng.int(0, 12))], [1, () => Buffer.alloc(0)]])();
    return known && this.handles.length ? this.handles[Math.floor(index * this.handles.length)] : other;
  }

  small(max) {
    return safeU32(this.rng, () => this.rng.size(max));
  }

  offset() {
    const v = this.rng.weighted([[5, () => this.rng.int(0, 4096)], [2, () => this.rng.int(0, 1 << 20)], [1, () => 0]])();
    return hasBad(u64(v)) ? 0 : v;
  }

  attrs() {
    const { rng } = this;
    let flags = rng.weighted([[3, 0], [6, rng.int(0, 15)], [1, 0x80000000 | rng.int(0, 15)]]);
    const parts = [];
    if (flags & 1) parts.push(u64(rng.weighted([[3, () => rng.int(0, 4096)], [1, () => rng.int(0, 1 << 20)]])()));
    if (flags & 2) parts.push(u32(safeU32(rng, () => rng.pick([0, 0, 65534, rng.int(0, 70000)]))), u32(safeU32(rng, () => rng.pick([0, 0, rng.int(0, 70000)]))));
    if (flags & 4) parts.push(u32(safeU32(rng, () => rng.pick([0o644, 0o755, 0o4755, 0o600, 0o777, 0o1777, 0, rng.int(0, 0o177777)]))));
    if (flags & 8) parts.push(u32(safeU32(rng)), u32(safeU32(rng)));
    if (flags & 0x80000000) {
      const n = rng.int(0, 2);
      parts.push(u32(n));
      for (let i = 0; i < n; i++) parts.push(str(this.garbage()), str(this.garbage()));
    }
    if (hasBad(u32(flags))) flags = 0;
    return Buffer.concat([u32(flags), ...parts]);
  }

  /** Body after type and reqid for a well-formed request of `type`, as segments (path strings marked). */
  body(type) {
    const { rng } = this;
    const p = () => {
      const b = str(this.path());
      b.isPath = true;
      return b;
    };
    const h = () => str(this.handle());
    switch (type) {
      case 3: return [p(), u32(safeU32(rng, () => rng.pick([1, 2, 0x1a, 0x0a, 0x2a, 0x3a, 0x12, 0x01 | 0x08, rng.int(0, 63)]))), this.attrs()];
      case 4: return [h()];
      case 5: return [h(), u64(this.offset()), u32(this.small(300_000))];
      case 6: return [h(), u64(this.offset()), str(this.garbage(rng.size(4096)))];
      case 7: case 11: case 13: case 15: case 16: case 17: case 19: return [p()];
      case 8: case 12: return [h()];
      case 9: case 14: return [p(), this.attrs()];
      case 10: return [h(), this.attrs()];
      case 18: case 20: return [p(), p()];
      case 200: {
        const name = rng.pick(EXT_NAMES);
        const fields = rng.chance(0.5) ? [p(), p()] : rng.chance(0.5) ? [h()] : [p()];
        return [str(name), ...fields.slice(0, rng.int(0, fields.length))];
      }
      default: return [this.garbage()];
    }
  }

  /** One packet: { buf, kind: 'valid'|'framed'|'broken', reqid, type }. */
  packet() {
    const { rng } = this;
    const type = rng.weighted([[16, () => rng.pick([3, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 200])], [1, () => rng.pick([0, 1, 2, 21, 99, 101, 102, 255, rng.int(0, 255)])]])();
    const reqid = this.reqid();
    const kind = rng.weighted([[20, 'valid'], [2, 'framed'], [2, 'broken']]);
    const segments = [Buffer.from([type]), u32(reqid), ...(kind === 'framed' ? [this.garbage(rng.size(96))] : this.body(type))];
    const payload = Buffer.concat(segments);
    // Where path bytes are, in the frame (after its 4-byte length): a cut inside one
    // would let later bytes complete the path, so truncation never cuts there.
    const unsafe = [];
    let at = 4;
    for (const seg of segments) {
      if (seg.isPath) unsafe.push([at + 4, at + seg.length]); // [content start, content end]
      at += seg.length;
    }
    if (kind === 'valid' && (type < 3 || (type > 20 && type !== 200))) return { buf: frame(payload), kind: 'framed', reqid, type };
    if (kind !== 'broken') return { buf: frame(payload), kind, reqid, type };
    return rng.weighted([
      // claims more than it sends (bounded by 64 KiB)
      [4, () => ({ buf: Buffer.concat([u32(safeU32(rng, () => payload.length + rng.int(1, 65_536 - payload.length))), payload]), kind, reqid, type })],
      // claims less than it sends
      [2, () => ({ buf: Buffer.concat([u32(safeU32(rng, () => rng.int(1, Math.max(1, payload.length - 1)))), payload]), kind, reqid, type })],
      // truncated: a valid frame cut short, never inside a path (see above)
      [2, () => {
        let cut = rng.int(1, 4 + payload.length - 1);
        for (const [start, end] of unsafe) if (cut > start && cut < end) cut = start;
        return { buf: frame(payload).subarray(0, cut), kind, reqid, type };
      }],
      // zero length / over the limit
      [1, () => ({ buf: Buffer.concat([u32(rng.pick([0, 256 * 1024 + 1, 0x7fffffff, 0x80000000, 0xffffffff])), payload]), kind, reqid, type })],
    ])();
  }
}

/** Names the known ways to drop the connection (see the suite's report), else "other". */
function classifyDrop(sent, live) {
  const known = live;
  for (const p of sent) {
    if (p.buf.length >= 4 && (p.buf.readUInt32BE(0) >= 0x80000000 || p.buf.readUInt32BE(0) === 0)) return 'length field 0 or >= 2^31, then more data';
  }
  for (const p of sent) {
    if (![5, 6, 10].includes(p.type) || p.buf.length < 13 || p.buf.readUInt32BE(0) + 4 > p.buf.length) continue;
    if (13 + p.buf.readUInt32BE(9) > 4 + p.buf.readUInt32BE(0)) return 'READ/WRITE/FSETSTAT with a malformed handle string';
  }
  for (const p of sent) {
    if (p.kind !== 'valid' || p.type !== 6) continue;
    const hlen = p.buf.readUInt32BE(9);
    if (!known.has(p.buf.subarray(13, 13 + hlen).toString('hex'))) return 'WRITE on a handle that is not an open file';
  }
  return 'other';
}

function frame(payload) {
  for (;;) {
    if (!hasBad(u32(payload.length))) return Buffer.concat([u32(payload.length), payload]);
    payload = Buffer.concat([payload, Buffer.from([0x41])]); // trailing byte: harmless to the parsers
  }
}

/** A raw sftp channel with a reply parser. */
async function openChannel(client) {
  const stream = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('subsystem sftp not opened within 3 s')), 3000);
    client.subsys('sftp', (err, s) => {
      clearTimeout(t);
      if (err) reject(err);
      else resolve(s);
    });
  });
  const ch = { stream, closed: false, replies: new Map(), types: [], buffer: Buffer.alloc(0), version: null };
  stream.on('data', (data) => {
    ch.buffer = Buffer.concat([ch.buffer, data]);
    while (ch.buffer.length >= 5) {
      const len = ch.buffer.readUInt32BE(0);
      if (ch.buffer.length < 4 + len) break;
      const type = ch.buffer[4];
      if (type === 2) ch.version = ch.buffer.readUInt32BE(5);
      else if (len >= 5) ch.replies.set(ch.buffer.readUInt32BE(5), { type, body: ch.buffer.subarray(9, 4 + len) });
      ch.types.push(type);
      ch.buffer = ch.buffer.subarray(4 + len);
    }
  });
  stream.stderr?.on('data', () => {});
  stream.on('close', () => (ch.closed = true));
  stream.on('error', () => (ch.closed = true));
  const init = Buffer.concat([u32(5), Buffer.from([1]), u32(3)]);
  stream.write(init);
  const deadline = Date.now() + 3000;
  while (ch.version === null && !ch.closed && Date.now() < deadline) await sleep(2);
  if (ch.version === null) {
    stream.destroy();
    throw new Error(`no VERSION reply to INIT (closed: ${ch.closed})`);
  }
  return ch;
}

export async function fuzzSftp({ res, daemon, work, quick, seed }) {
  const rng = Rng.forTarget(seed, 'sftp');
  const budget = budgetFor(quick, { quickMax: 150, fullMax: 3000 });
  const gen = new Gen(rng, work);
  mkdirSync(gen.base, { recursive: true });
  const logStart = daemon.log().length;
  let client;
  let clientGone = false;
  const newClient = async () => {
    client = await connect(daemon, work);
    clientGone = false;
    const mine = client;
    const gone = () => {
      if (client === mine) clientGone = true;
    };
    client.on('close', gone);
    client.on('error', gone);
  };
  await newClient();
  let ch;
  let drops = 0;
  const dropExamples = [];
  const dropCauses = new Map();
  let hangs = 0;
  const hangExamples = [];
  let batches = 0;
  let reopens = 0;
  let unanswered = 0;
  const unansweredExamples = [];
  const replyTypes = new Map();
  const countReplies = (c) => {
    for (const t of c.types) replyTypes.set(t, (replyTypes.get(t) ?? 0) + 1);
    c.types = [];
  };
  const reopen = async () => {
    gen.live.clear(); // handles belong to a channel (the stale ones stay in the pool, as garbage)
    if (ch) countReplies(ch);
    ch?.stream.destroy();
    try {
      ch = await openChannel(client);
    } catch {
      // The connection may be gone: a fresh one (still one daemon).
      client.end();
      await newClient();
      ch = await openChannel(client);
    }
  };
  try {
    await reopen();
    reopens = 0;
    while (budget.more()) {
      batches++;
      const n = Math.min(rng.int(1, 4), budget.max - budget.tried);
      const sent = [];
      const liveBefore = new Set(gen.live);
      const logAt = daemon.log().length;
      let broken = false;
      for (let i = 0; i < n; i++) {
        const pkt = gen.packet();
        sent.push(pkt);
        ch.stream.write(pkt.buf);
        budget.tried++;
        if (pkt.kind === 'valid' && pkt.type === 4) gen.live.delete(pkt.buf.subarray(13, 13 + pkt.buf.readUInt32BE(9)).toString('hex'));
        if (pkt.kind === 'broken') {
          broken = true;
          break;
        }
      }
      const describe = () => sent.map((p) => `${p.kind}:${p.type}:${p.buf.subarray(0, process.env.FUZZ_FULLHEX ? undefined : 48).toString('hex')}`).join(',');
      if (broken) {
        // Complete whatever the server is waiting for with bytes it must refuse.
        ch.stream.write(Buffer.alloc(256 * 1024 + 8, 0x7f));
        if (!(await waitUntil(() => ch.closed, 3000, 2))) {
          hangs++;
          hangExamples.push(`seed ${seed} batch ${batches} [${describe()}]: channel neither closed nor answered after the 0x7f flush`);
        }
      } else {
        const probe = gen.reqid();
        ch.stream.write(frame(Buffer.concat([Buffer.from([16]), u32(probe), str(gen.base)])));
        const expect = sent.filter((p) => p.kind === 'valid').map((p) => p.reqid);
        const answered = await waitUntil(() => ch.closed || (ch.replies.has(probe) && expect.every((id) => ch.replies.has(id))), 3000, 2);
        if (!answered) {
          if (ch.replies.has(probe)) {
            const missing = expect.filter((id) => !ch.replies.has(id));
            unanswered += missing.length;
            unansweredExamples.push(`batch ${batches}: no reply to ${sent.filter((p) => missing.includes(p.reqid)).map((p) => `${p.type}:${p.buf.subarray(0, 64).toString('hex')}`).join(',')}`);
          } else {
            hangs++;
            hangExamples.push(`seed ${seed} batch ${batches} [${describe()}]: no reply to the REALPATH probe within 3 s, channel open`);
          }
        }
      }
      if (ch.closed) await sleep(15); // a dropped connection closes its channels first
      if (clientGone) {
        // One bad SFTP packet must end its channel at most, never the SSH connection.
        drops++;
        const said = logSince(daemon, logAt).split('\n').filter((l) => / error conn=/.test(l)).map((l) => l.replace(/^.*message=/, '')).slice(0, 2).join(', ');
        const cause = /invalid file handle/.test(said) ? 'WRITE on a handle that is not an open file'
          : /reading 'length'/.test(said) ? 'READ/WRITE/FSETSTAT with a malformed handle string'
            : /reading '0'/.test(said) ? 'length field 0 or >= 2^31, then more data'
              : classifyDrop(sent, liveBefore);
        dropCauses.set(cause, (dropCauses.get(cause) ?? 0) + 1);
        if (!dropExamples.some((e) => e.startsWith(cause))) dropExamples.push(`${cause}: seed ${seed} batch ${batches} [${describe()}] → daemon: ${said || '(nothing logged)'}`);
      }
      if (!ch.closed) {
        for (const [, r] of ch.replies) {
          if (r.type !== 102 || r.body.length < 4) continue;
          const h = r.body.subarray(4, 4 + r.body.readUInt32BE(0));
          gen.handles.push(h);
          gen.live.add(h.toString('hex'));
        }
        if (gen.handles.length > 32) gen.handles.splice(0, gen.handles.length - 32);
        ch.replies.clear();
        countReplies(ch);
      }
      if (clientGone) {
        gen.live.clear();
        ch.stream.destroy();
        ch = undefined;
        client.end();
        await newClient();
        ch = await openChannel(client);
      } else if (ch.closed || broken) {
        reopens++;
        await reopen();
      }
    }
  } catch (err) {
    hangs++;
    hangExamples.push(`aborted: ${err.message}`);
  } finally {
    if (ch) countReplies(ch);
    ch?.stream.destroy();
    client.end();
  }
  const ms = budget.elapsedMs();
  const logged = internalErrors(logSince(daemon, logStart));
  const alive = await probeAlive(daemon, work);
  report(res, {
    name: 'sftp', tried: budget.tried, ms, hangs, hangExamples, alive,
    extraFigures: [
      ['batches', batches],
      ['channel closes by the server (reopened)', reopens],
      ['SSH connections dropped', drops],
      ['replies', [...replyTypes].map(([t, c]) => `${REPLY_NAMES[t] ?? t}×${c}`).join(' ')],
    ],
    extraChecks: [
      ['no packet drops the whole SSH connection (only its channel may close)', drops === 0,
        drops ? `${drops} drops (${[...dropCauses].map(([c, n]) => `${c}×${n}`).join(', ')}); first of each: ${dropExamples.join(' | ')}` : 'none'],
      ['every well-formed request in a live channel was answered', unanswered === 0, unanswered ? unansweredExamples.slice(0, 3).join(' | ') : 'all answered'],
      ['no internal error in the daemon log', logged.length === 0, logged.slice(0, 3).join(' | ') || 'none'],
    ],
  });
}
