// Target 5: tar headers through `toolbox add` (the built-in reads a tar or tar.gz from
// stdin). Small archives are built with tar-stream, then their 512-byte headers are
// mutated: names and prefixes with `..` or absolute paths, link names pointing out,
// type flags (links, devices, FIFOs, GNU long names, pax headers), sizes (huge, not
// octal, base-256, lies), modes, checksums (fixed up or not), magic; archives are also
// truncated, padded with garbage or gzipped (sometimes with corrupt bytes). Each upload
// must end within 10 s; afterwards nothing may have appeared in WORK outside the
// toolbox, the canaries (a file and a dir that links point at) must be untouched, no
// staging leftovers may remain, and `toolbox clear` must empty the toolbox.
//
// Safety: escaping names climb at most two levels from the toolbox (WORK/daemon/
// toolbox) and absolute names point into WORK; links target canaries four levels deep
// in WORK (fuzz-canary/d1/d2/d3), so even an extractor that followed everything would
// stay inside WORK. Random bytes never include `/` or `.`.
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import tarStream from 'tar-stream';
import { connect, exec } from '../lib/daemon.mjs';
import { budgetFor, internalErrors, logSince, preview, probeAlive, report, shortError } from './common.mjs';
import { Rng } from './random.mjs';
import { walk } from './scp.mjs';

const SAFE_BAD = [0x2e, 0x2f];
const POOL = ['bin', 'bin/tool', 'sh', 'busybox', 'a', 'b/c', 'dir', 'dir/file', 'é', 'x y', 'q'.repeat(99), 'deep/er/still/file'];

/** Builds a tar with tar-stream from entry descriptions. */
function pack(entries) {
  return new Promise((resolve, reject) => {
    const p = tarStream.pack();
    const chunks = [];
    p.on('data', (c) => chunks.push(c));
    p.on('end', () => resolve(Buffer.concat(chunks)));
    p.on('error', reject);
    (async () => {
      for (const e of entries) {
        await new Promise((done, fail) => {
          const cb = (err) => (err ? fail(err) : done());
          if (e.type === 'file') p.entry({ name: e.name, mode: e.mode, size: e.data.length }, e.data, cb);
          else p.entry({ name: e.name, type: e.type, linkname: e.linkname, mode: e.mode }, cb);
        });
      }
      p.finalize();
    })().catch(reject);
  });
}

/** Offsets of the headers in a tar (walking sizes as written). */
function headerOffsets(buf) {
  const out = [];
  let off = 0;
  while (off + 512 <= buf.length) {
    const block = buf.subarray(off, off + 512);
    if (block.every((b) => b === 0)) break;
    out.push(off);
    const size = Number.parseInt(block.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8) || 0;
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

function checksum(header) {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : header[i];
  return sum;
}
function fixChecksum(header) {
  Buffer.from(`${checksum(header).toString(8).padStart(6, '0')}\0 `, 'latin1').copy(header, 148);
}
function setField(header, offset, length, value) {
  const b = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
  header.fill(0, offset, offset + length);
  b.copy(header, offset, 0, Math.min(length, b.length));
}

export class TarGen {
  constructor(rng, work, toolboxDir) {
    this.rng = rng;
    this.work = work;
    this.n = 0;
    const canary = join(work.dir, 'fuzz-canary', 'd1', 'd2', 'd3');
    this.canaryDir = join(canary, 'dir');
    this.canaryFile = join(canary, 'canary.txt');
    this.canaryRelDir = relative(toolboxDir, this.canaryDir);
    this.canaryRelFile = relative(toolboxDir, this.canaryFile);
  }

  escapeName() {
    const { rng } = this;
    const n = ++this.n;
    return rng.pick([`../fuzz-tar-escape-${n}`, `../../fuzz-tar-escape-${n}`, `a/../../fuzz-tar-escape-${n}`, `./../fuzz-tar-escape-${n}`,
      join(this.work.dir, `fuzz-tar-abs-${n}`), `..`, `../`, `a/b/../../../fuzz-tar-escape-${n}`,
      `//${join(this.work.dir, `fuzz-tar-abs-${n}`).slice(1)}`]);
  }

  linkTarget() {
    return this.rng.pick([this.canaryDir, this.canaryFile, this.canaryRelDir, this.canaryRelFile, 'busybox', 'a', 'bin', '.', '', 'bin/../a', 'x'.repeat(120)]);
  }

  garbage(n) {
    return this.rng.bytes(n, SAFE_BAD);
  }

  async archive() {
    const { rng } = this;
    const entries = [];
    const n = rng.weighted([[3, 1], [3, 2], [2, 4], [1, 8]]);
    for (let i = 0; i < n; i++) {
      const type = rng.weighted([[8, 'file'], [3, 'directory'], [2, 'symlink'], [1, 'link']]);
      const name = rng.pick(POOL) + (type === 'directory' && rng.chance(0.5) ? '/' : '');
      const mode = rng.pick([0o755, 0o644, 0o4755, 0o2755, 0o1777, 0o777, 0o000, 0o600]);
      if (type === 'file') entries.push({ type, name, mode, data: rng.bytes(rng.size(3000)) });
      else if (type === 'directory') entries.push({ type, name, mode });
      else entries.push({ type, name, mode, linkname: rng.chance(0.5) ? rng.pick(POOL) : this.linkTarget() });
    }
    let buf = await pack(entries);
    const offsets = headerOffsets(buf);
    const mutations = rng.weighted([[1, 0], [4, 1], [3, 2], [2, 4]]);
    const applied = [];
    for (let m = 0; m < mutations && offsets.length; m++) {
      const off = rng.pick(offsets);
      const h = buf.subarray(off, off + 512);
      applied.push(this.mutateHeader(h));
      if (rng.chance(0.8)) fixChecksum(h);
    }
    // Extra special entries: pax and GNU long names.
    if (rng.chance(0.15)) buf = Buffer.concat([this.special(), buf]);
    // Stream-level damage.
    buf = rng.weighted([
      [10, () => buf],
      [1, () => buf.subarray(0, rng.int(0, buf.length))],
      [1, () => Buffer.concat([buf.subarray(0, Math.max(0, buf.length - 1024)), this.garbage(rng.int(0, 600))])],
      [1, () => Buffer.concat([buf, this.garbage(rng.int(1, 2000))])],
      [1, () => buf.subarray(0, Math.max(512, buf.length - 1024))],
      [1, () => Buffer.concat([buf, buf])],
    ])();
    if (rng.chance(0.1)) {
      buf = gzipSync(buf);
      if (rng.chance(0.4)) {
        const b = Buffer.from(buf);
        for (let i = 0; i < rng.int(1, 4); i++) b[rng.int(0, b.length - 1)] = rng.int(0, 255);
        buf = rng.chance(0.5) ? b : b.subarray(0, rng.int(10, b.length));
      }
      applied.push('gzip');
    }
    if (rng.chance(0.02)) buf = Buffer.alloc(0);
    return { buf, applied };
  }

  /** One header mutation; returns its name for the report. */
  mutateHeader(h) {
    const { rng } = this;
    const kind = rng.weighted([[4, 'name'], [2, 'prefix'], [3, 'linkname'], [3, 'type'], [3, 'size'], [1, 'mode'], [1, 'ids'], [1, 'checksum'], [1, 'magic'], [2, 'flip']]);
    switch (kind) {
      case 'name':
        setField(h, 0, 100, rng.weighted([[5, () => this.escapeName()], [1, () => ''], [1, () => '/'], [1, () => 'x//y'], [1, () => 'q'.repeat(100)], [1, () => this.garbage(rng.int(1, 100))], [1, () => `a\0${'b'}`]])());
        break;
      case 'prefix':
        // ustar prefix: prefix + "/" + name. Climbs at most two levels, only with a plain name.
        setField(h, 345, 155, rng.pick(['..', '../..', join(this.work.dir, 'fuzz-tar-pfx'), 'a/b', this.garbage(rng.int(1, 50)), 'q'.repeat(155)]));
        if (rng.chance(0.5)) setField(h, 0, 100, rng.pick(POOL.slice(0, 6)));
        else if (h.subarray(0, 100).includes(Buffer.from('..'))) setField(h, 0, 100, 'plain');
        break;
      case 'linkname':
        setField(h, 157, 100, this.linkTarget());
        if (rng.chance(0.6)) h[156] = rng.pick([0x31, 0x32]);
        break;
      case 'type':
        h[156] = rng.pick([...'01234567LKxgSVMDNAIXZ'].map((c) => c.charCodeAt(0)).concat([0, rng.int(0, 255)]));
        break;
      case 'size':
        setField(h, 124, 12, rng.pick(['77777777777', '00000000000', '99999999999', 'zzzz', '', '-1', ' 1 ', '0000000010\0', '17777777777']));
        if (rng.chance(0.2)) {
          h[124] = rng.pick([0x80, 0xff]);
          for (let i = 125; i < 136; i++) h[i] = rng.int(0, 255);
        }
        break;
      case 'mode':
        setField(h, 100, 8, rng.pick(['7777777', '0004755', 'garbage', '', '99999999', '0000000']));
        break;
      case 'ids':
        setField(h, rng.pick([108, 116, 136]), rng.pick([8, 8, 12]), rng.pick(['7777777', 'zz', '', '77777777777', '-1']));
        break;
      case 'checksum':
        setField(h, 148, 8, rng.pick(['0000000', '        ', 'zzzzzz', '7777777']));
        break;
      case 'magic':
        setField(h, 257, 8, rng.pick(['ustar  \0', 'ustar\0' + '00', 'xxxxx', '', 'ustar']));
        break;
      default: {
        const n = rng.int(1, 8);
        for (let i = 0; i < n; i++) {
          const at = rng.int(0, 511);
          const inPath = at < 100 || (at >= 157 && at < 257) || (at >= 345 && at < 500);
          let v = rng.int(0, 255);
          while (inPath && SAFE_BAD.includes(v)) v = rng.int(0, 255);
          h[at] = v;
        }
      }
    }
    return kind;
  }

  /** A pax ('x') or GNU long-name ('L'/'K') header with its data, then a file entry. */
  special() {
    const { rng } = this;
    const type = rng.pick(['x', 'L', 'K', 'g']);
    let data;
    if (type === 'x' || type === 'g') {
      const rec = (k, v) => {
        const body = ` ${k}=${v}\n`;
        let len = body.length + 1;
        while (String(len).length + body.length !== len) len = String(len).length + body.length;
        return `${len}${body}`;
      };
      data = Buffer.from(rng.pick([
        rec('path', this.escapeName()),
        rec('linkpath', this.linkTarget()),
        rec('size', '999999999999'),
        rec('path', 'ok-name') + rec('size', '-5'),
        '5 x\n',
        '99999 path=a\n',
        rec('path', 'a\0b'),
        'garbage without length\n',
      ]));
    } else {
      data = Buffer.from(type === 'L' ? this.escapeName() : this.linkTarget());
      if (rng.chance(0.3)) data = this.garbage(rng.int(1, 2000));
    }
    const h = Buffer.alloc(512);
    setField(h, 0, 100, '././@LongLink');
    setField(h, 100, 8, '0000644');
    setField(h, 108, 8, '0000000');
    setField(h, 116, 8, '0000000');
    setField(h, 124, 12, data.length.toString(8).padStart(11, '0'));
    setField(h, 136, 12, '00000000000');
    h[156] = type.charCodeAt(0);
    setField(h, 257, 8, 'ustar\x0000');
    fixChecksum(h);
    const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
    // The entry it applies to: a small file named "victim" (and a symlink for K).
    const f = Buffer.alloc(512);
    setField(f, 0, 100, 'victim');
    setField(f, 100, 8, '0000644');
    setField(f, 108, 8, '0000000');
    setField(f, 116, 8, '0000000');
    setField(f, 124, 12, '00000000003');
    setField(f, 136, 12, '00000000000');
    f[156] = type === 'K' ? 0x32 : 0x30;
    setField(f, 257, 8, 'ustar\x0000');
    fixChecksum(f);
    return Buffer.concat([h, data, pad, f, Buffer.from('abc'), Buffer.alloc(509)]);
  }
}

/** Names a known hang trigger in an archive: a directory header with a non-zero size. */
function suspect(buf) {
  for (const off of headerOffsets(buf)) {
    const h = buf.subarray(off, off + 512);
    const size = Number.parseInt(h.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
    if (h[156] === 0x35 && size > 0) return `directory header "${h.subarray(0, 100).toString('latin1').replace(/\0.*$/s, '')}" with size ${size}`;
  }
  return '';
}

/** Entries of WORK, minus the toolbox and home the daemon may change. */
function snapshot(work, daemon) {
  const skip = [relative(work.dir, daemon.toolboxDir), relative(work.dir, join(daemon.toolboxDir, '..', 'home')), relative(work.dir, join(daemon.toolboxDir, '..', '.toolbox.staging'))];
  return walk(work.dir).filter((p) => !skip.some((s) => p === s || p.startsWith(`${s}/`))).sort();
}

export async function fuzzTar({ res, daemon, work, quick, seed }) {
  const rng = Rng.forTarget(seed, 'tar');
  const budget = budgetFor(quick, { quickMax: 60, fullMax: 1500 });
  const gen = new TarGen(rng, work, daemon.toolboxDir);
  mkdirSync(gen.canaryDir, { recursive: true });
  writeFileSync(gen.canaryFile, 'canary\n');
  const before = snapshot(work, daemon);
  const logStart = daemon.log().length;
  let client = await connect(daemon, work);
  let hangs = 0;
  const hangExamples = [];
  const codes = new Map();
  const internal = [];
  let accepted = 0;
  try {
    while (budget.more()) {
      const { buf, applied } = await gen.archive();
      budget.tried++;
      try {
        // 10 s per upload; in quick mode no more than the budget left (≥ 3 s: an add takes ~50 ms).
        const timeoutMs = quick ? Math.min(10_000, Math.max(3000, budget.remainingMs() + 1000)) : 10_000;
        const r = await exec(client, 'toolbox add', { input: buf, timeoutMs });
        codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
        if (r.code === 0) accepted++;
        const bad = internalErrors(r.stderr);
        if (bad.length) internal.push(`archive #${budget.tried} (${applied.join('+')}): ${preview(bad[0])}`);
      } catch (err) {
        hangs++;
        const why = suspect(buf);
        hangExamples.push(`seed ${seed} archive #${budget.tried} (${applied.join('+')}, ${buf.length} bytes${why ? `; ${why}` : ''}, head ${buf.subarray(0, 48).toString('hex')}): ${shortError(err)}`);
        client.end();
        client = await connect(daemon, work);
      }
    }
  } finally {
    client.end();
  }
  const ms = budget.elapsedMs();
  const after = snapshot(work, daemon);
  const appeared = after.filter((p) => !before.includes(p));
  const vanished = before.filter((p) => !after.includes(p));
  const canaryOk = readFileSync(gen.canaryFile, 'utf8') === 'canary\n' && statSync(gen.canaryFile).nlink === 1 && readdirSync(gen.canaryDir).length === 0;
  // Links in the toolbox must stay inside it.
  const outsideLinks = [];
  for (const p of walk(daemon.toolboxDir)) {
    const full = join(daemon.toolboxDir, p);
    // (Hard links out of the toolbox would raise the canary's link count.)
    if (!lstatSync(full).isSymbolicLink()) continue;
    const target = relative(daemon.toolboxDir, join(full, '..', readlinkSync(full)));
    if (target.startsWith('..') || target.startsWith('/')) outsideLinks.push(`${p} -> ${target}`);
  }
  const staging = join(daemon.toolboxDir, '..', '.toolbox.staging');
  let stagingLeft = [];
  try {
    stagingLeft = readdirSync(staging);
  } catch {
    // none
  }
  // toolbox clear must empty it.
  const c = await connect(daemon, work);
  let clear;
  try {
    clear = await exec(c, 'toolbox clear', { timeoutMs: 10_000 });
  } catch (err) {
    clear = { code: null, stderr: err.message };
  } finally {
    c.end();
  }
  const leftInToolbox = readdirSync(daemon.toolboxDir);
  const logged = internalErrors(logSince(daemon, logStart));
  const alive = await probeAlive(daemon, work);
  report(res, {
    name: 'tar', tried: budget.tried, ms, hangs, hangExamples, alive,
    extraFigures: [
      ['archives accepted (exit 0)', accepted],
      ['exit codes', [...codes].map(([k, n]) => `${k}×${n}`).join(' ')],
    ],
    extraChecks: [
      ['nothing appeared in WORK outside the toolbox (.., absolute names, links)', appeared.length === 0 && vanished.length === 0,
        appeared.length || vanished.length ? `appeared: ${appeared.slice(0, 5).join(', ')}; vanished: ${vanished.slice(0, 5).join(', ')}` : `${after.length} entries unchanged`],
      ['canaries untouched (content, link count, empty dir)', canaryOk, canaryOk ? 'yes' : `${gen.canaryFile} or ${gen.canaryDir} changed`],
      ['no symlink in the toolbox points outside it', outsideLinks.length === 0, outsideLinks.slice(0, 5).join(', ') || 'none'],
      ['no staging leftovers', stagingLeft.length === 0, stagingLeft.slice(0, 5).join(', ') || 'none'],
      ['toolbox clear exits 0 and empties the toolbox', clear.code === 0 && leftInToolbox.length === 0,
        `exit ${clear.code}, ${leftInToolbox.length} entries left ${preview(clear.stderr ?? '', 80)}`],
      ['no internal error', internal.length === 0 && logged.length === 0, [...internal, ...logged].slice(0, 3).join(' | ') || 'none'],
    ],
  });
}
