// Target 3: the scp sink (`scp -t`). Each input is one exec of `scp [-r] [-p] [-d] -t
// TARGET` fed a random or mutated record stream (C/D/E/T records, \1 and \2 error
// records, garbage first bytes, bad modes, names with `/` or `..`, sizes that are lies:
// claimed but not sent before EOF). Every exec must end within 5 s; afterwards nothing
// may exist outside the target dir, and no `.NAME.scp-*` temp file may be left over.
//
// Safety: TARGET is WORK/fuzz-scp/t1/t2 (three levels below WORK) and one session
// uses at most two `..` components in total, so even a sink that followed every name
// could not leave WORK/fuzz-scp. Absolute names point into WORK (fuzz-scp-abs-N).
import { lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { connect, exec } from '../lib/daemon.mjs';
import { budgetFor, internalErrors, logSince, preview, probeAlive, report, shortError } from './common.mjs';
import { Rng } from './random.mjs';

const POOL = ['a', 'b', 'f1', 'f2', 'sub', 'dir', 'x y', 'é', '-dash', 'tab\tname', 'cr\rname', 'q'.repeat(300), 'name.tar', ' lead', 'trail '];

/** All paths under dir (relative), directories included. */
export function walk(dir, base = dir, out = []) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const full = join(dir, e.name);
    out.push(relative(base, full));
    if (e.isDirectory() && !e.isSymbolicLink()) walk(full, base, out);
  }
  return out;
}

export class ScpGen {
  constructor(rng, work) {
    this.rng = rng;
    this.work = work;
    this.ups = 0;
    this.n = 0;
  }

  name() {
    const { rng } = this;
    const pick = rng.weighted([
      [12, () => rng.pick(POOL)],
      [2, () => rng.string(rng.int(1, 12), 'qzjk0123456789_-+=@,:ÄΩ中 ')],
      [1, () => ''],
      [1, () => '.'],
      [1, () => 'a/b'],
      [1, () => '..'],
      [1, () => `../fuzz-scp-escape-${++this.n}`],
      [1, () => `sub/../../fuzz-scp-escape-${++this.n}`],
      [1, () => join(this.work.dir, `fuzz-scp-abs-${++this.n}`)],
      [1, () => `a\0b`],
    ])();
    const ups = pick.split('/').filter((c) => c === '..').length;
    if (this.ups + ups > 2) return rng.pick(POOL);
    this.ups += ups;
    return pick;
  }

  mode() {
    const { rng } = this;
    return rng.weighted([
      [8, () => rng.pick(['0644', '0755', '0600', '0700', '0777', '0444', '0000'])],
      [2, () => rng.pick(['4755', '2755', '1777', '07777', '17777'])],
      [1, () => rng.pick(['644', '9999', '0x44', '', '064a', '000644', '-644', '0644 '])],
    ])();
  }

  /** One record with the bytes that follow it. { bytes, last } — last: ends the stream. */
  record(depth) {
    const { rng } = this;
    const type = rng.weighted([[10, 'C'], [3, 'D'], [2, 'E'], [2, 'T'], [1, 'err'], [1, 'fatal'], [2, 'garbage'], [1, 'lie'], [1, 'mutant']]);
    switch (type) {
      case 'C': {
        const size = rng.size(3000);
        const data = rng.bytes(size);
        const status = rng.weighted([[10, '\0'], [1, '\x01scp: source read error\n'], [1, ''], [1, '\x02']]);
        return { bytes: Buffer.concat([Buffer.from(`C${this.mode()} ${size} ${this.name()}\n`), data, Buffer.from(status)]), depth };
      }
      case 'D': return { bytes: Buffer.from(`D${this.mode()} ${rng.pick(['0', '0', '12', ''])} ${this.name()}\n`), depth: depth + 1 };
      case 'E': return { bytes: Buffer.from(rng.chance(0.9) ? 'E\n' : rng.pick(['E \n', 'EE\n', 'E'])), depth: Math.max(0, depth - 1) };
      case 'T': return {
        bytes: Buffer.from(rng.weighted([
          [4, () => `T${rng.int(0, 2 ** 31)} 0 ${rng.int(0, 2 ** 31)} 0\n`],
          [1, () => `T${'9'.repeat(rng.int(10, 40))} 0 1 0\n`],
          [1, () => rng.pick(['T\n', 'T1 2\n', 'T-1 0 -1 0\n', 'T1 0 1 0 extra\n'])],
        ])()),
        depth,
      };
      case 'err': return { bytes: Buffer.from(`\x01scp: ${rng.string(rng.int(0, 40), 'qzjk ')}\n`), depth };
      case 'fatal': return { bytes: Buffer.from(`\x02scp: ${rng.string(rng.int(0, 40), 'qzjk ')}\n`), depth, last: true };
      case 'garbage': return { bytes: Buffer.concat([rng.bytes(rng.int(1, 60), [0x0a, 0x2f]), Buffer.from(rng.chance(0.8) ? '\n' : '')]), depth, last: true };
      case 'lie': {
        // Claims more data than follows; EOF comes first.
        const claim = rng.pick([String(rng.int(10, 1 << 20)), String(2 ** 40), '99999999999999999999', String(2 ** 53 + 2)]);
        const sent = rng.bytes(rng.int(0, 200));
        return { bytes: Buffer.concat([Buffer.from(`C0644 ${claim} ${this.name()}\n`), sent]), depth, last: true };
      }
      default: {
        // A valid record with one byte changed, dropped or duplicated.
        const base = Buffer.from(`C0644 ${rng.int(0, 20)} ${this.name()}\n`);
        const at = rng.int(0, base.length - 1);
        const b = Buffer.from(base);
        const op = rng.int(0, 2);
        let out;
        if (op === 0) {
          let v = rng.int(0, 255);
          while (v === 0x2f || v === 0x2e) v = rng.int(0, 255);
          b[at] = v;
          out = b;
        } else if (op === 1) out = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
        else out = Buffer.concat([b.subarray(0, at + 1), b.subarray(at)]);
        return { bytes: Buffer.concat([out, rng.bytes(rng.int(0, 20))]), depth, last: true };
      }
    }
  }

  session() {
    const { rng } = this;
    this.ups = 0;
    const flags = [rng.chance(0.6) ? 'r' : '', rng.chance(0.3) ? 'p' : '', rng.chance(0.2) ? 'd' : '', rng.chance(0.1) ? 'v' : ''].join('');
    const records = [];
    let depth = 0;
    const n = rng.weighted([[3, 1], [3, 2], [2, 4], [1, 8]]);
    for (let i = 0; i < n; i++) {
      const r = this.record(depth);
      records.push(r.bytes);
      depth = r.depth;
      if (r.last) break;
    }
    if (rng.chance(0.5)) for (; depth > 0; depth--) records.push(Buffer.from('E\n'));
    return { flags, input: Buffer.concat(records) };
  }
}

export async function fuzzScp({ res, daemon, work, quick, seed }) {
  const rng = Rng.forTarget(seed, 'scp');
  const budget = budgetFor(quick, { quickMax: 80, fullMax: 2000 });
  const gen = new ScpGen(rng, work);
  const root = join(work.dir, 'fuzz-scp');
  const target = join(root, 't1', 't2');
  mkdirSync(target, { recursive: true });
  const logStart = daemon.log().length;
  let client = await connect(daemon, work);
  let hangs = 0;
  const hangExamples = [];
  const replies = { ok: 0, error: 0, fatal: 0 };
  const codes = new Map();
  const internal = [];
  try {
    while (budget.more()) {
      const { flags, input } = gen.session();
      const dest = rng.weighted([[10, target], [1, join(target, 'f1')], [1, join(target, 'missing', 'deeper')]]);
      const command = `scp ${flags ? `-${flags} ` : ''}-t ${dest}`;
      budget.tried++;
      try {
        const r = await exec(client, command, { input, timeoutMs: 5000 });
        codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
        for (const ch of r.stdout) {
          if (ch === '\0') replies.ok++;
          else if (ch === '\x01') replies.error++;
          else if (ch === '\x02') replies.fatal++;
        }
        const bad = internalErrors(r.stderr + r.stdout);
        if (bad.length) internal.push(`${command} ${preview(input.toString('latin1'), 100)} → ${preview(bad[0])}`);
      } catch (err) {
        hangs++;
        hangExamples.push(`seed ${seed} input #${budget.tried}: ${command} with ${preview(input.toString('latin1'), 200)}: ${shortError(err)}`);
        client.end();
        client = await connect(daemon, work);
      }
    }
  } finally {
    client.end();
  }
  const ms = budget.elapsedMs();
  // Everything must stay under t1/t2; no temp file of a cut transfer may remain.
  const outside = walk(root).filter((p) => p !== 't1' && p !== join('t1', 't2') && !p.startsWith(join('t1', 't2') + '/'));
  const abs = readdirSync(work.dir).filter((n) => n.startsWith('fuzz-scp-') );
  const temps = walk(target).filter((p) => /\.scp-\d+-\d+$/.test(p));
  let files = 0;
  for (const p of walk(target)) if (lstatSync(join(target, p)).isFile()) files++;
  const logged = internalErrors(logSince(daemon, logStart));
  const alive = await probeAlive(daemon, work);
  report(res, {
    name: 'scp', tried: budget.tried, ms, hangs, hangExamples, alive,
    extraFigures: [
      ['answers', `\\0×${replies.ok} \\1×${replies.error} \\2×${replies.fatal}`],
      ['exit codes', [...codes].map(([c, n]) => `${c}×${n}`).join(' ')],
      ['files written under the target', files],
    ],
    extraChecks: [
      ['nothing written outside the target dir (names with / or .., absolute names)', outside.length === 0 && abs.length === 0,
        outside.length || abs.length ? `outside: ${[...outside, ...abs].slice(0, 5).join(', ')}` : 'none'],
      ['no temp file of a cut transfer left behind', temps.length === 0, temps.length ? temps.slice(0, 5).join(', ') : 'none'],
      ['no internal error', internal.length === 0 && logged.length === 0, [...internal, ...logged].slice(0, 3).join(' | ') || 'none'],
    ],
  });
}
