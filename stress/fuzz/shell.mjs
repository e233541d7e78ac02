// Target 1: the shell parser and interpreter. Random and mutated command lines, each run
// as one `exec` on a single authenticated connection, one after another; each must end
// (any exit code) within 5 s, and no line may make the shell report an internal error.
//
// Safety. Lines use a fixed harmless vocabulary of command names (echo, printf, true,
// false, cat /dev/null, test, [, pwd, env, basename) and otherwise only "restricted"
// letters (q z j k, either case), digits and punctuation without `/`, `.` or `~`. Paths
// appear only as single private-use placeholder characters, replaced after generation
// by absolute paths under WORK/fuzz-out/ (or /dev/null), so no mutation can cut a path
// short. A final guard rejects any line in which a letter run (after removing quotes,
// backslashes, `$` and braces, which can join words at run time) is neither a
// vocabulary word nor made of restricted letters only, so no built-in such as rm, kill,
// mv or toolbox can be spelled. Every line starts with `PATH=WORK/fuzz-bin;` (a dir
// holding links to basename, test and [ only): the shell ignores a client's PATH env
// request, and external programs must not be reachable by name.
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { connect, exec } from '../lib/daemon.mjs';
import { budgetFor, internalErrors, logSince, preview, probeAlive, report, shortError } from './common.mjs';
import { Rng } from './random.mjs';

const RESTRICTED = 'qzjkQZJK';
const VOCAB = ['echo', 'printf', 'true', 'false', 'cat', 'test', '[', 'pwd', 'env', 'basename'];
const KEYWORDS = ['if', 'then', 'elif', 'else', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'function', 'select', 'time'];
const SHORT = ['n', 'e', 'z', 'f', 'd', 's', 'x', 'c', 'b', 'o', 'u', 'g', 'eq', 'ne', 'lt', 'gt', 'a'];
const ALLOWED_RUNS = new Set([...VOCAB, ...KEYWORDS, ...SHORT, 'dev', 'null']);
const PUNCT = ' \t!"#$%&\'()*+,-:;<=>?@[\\]^`{|}';
const UNICODE = ['é', 'ß', 'Ω', 'ж', '中', '文', '🙂', '\u200b', '\u00a0', '\u202e', '\ufeff', 'ǅ', '①', '\u0301'];
const CONTROL = Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).concat('\x7f');
const OPS = ['&&', '||', ';', '&', '\n', ';;', '|&'];
const REDIRS = ['<', '>', '>>', '>|', '<>', '2>', '2>>', '&>', '&>>', '1>', '0<', '9>'];
const DUPS = ['2>&1', '>&2', '1>&2', '>&-', '<&-', '3>&1', '>&9', '2>&-', '<&0'];
const DEVNULL = '\ue000';
const OUT_FILES = 6; // \ue001 … \ue006: WORK/fuzz-out/o1 … o6
const outPlaceholder = (i) => String.fromCharCode(0xe001 + i);

function restrictedWord(rng, n = rng.int(1, 6)) {
  return rng.string(n, RESTRICTED + '0123456789_');
}

function word(rng, depth = 0) {
  const piece = () =>
    rng.weighted([
      [8, () => restrictedWord(rng)],
      [3, () => String(rng.int(0, 99999))],
      [3, () => rng.pick(['-n', '-e', '-E', '-z', '-f', '-d', '-s', '-x', '--', '-', '-ne', '-eq', '-lt', '!', '=', '!=', '-a', '-o'])],
      [3, () => rng.pick(['%s', '%d', '%5d', '%-3s', '%x', '%c', '%b', '%%', '%q', '%', '%05d', '%*d', '%u', '%e', '\\n', '\\t', '\\0', '\\x41', '\\c', '\\\\'])],
      [3, () => `'${rng.chance(0.8) ? restrictedWord(rng) : ''}${rng.chance(0.15) ? '' : "'"}`],
      [3, () => `"${rng.chance(0.5) ? restrictedWord(rng) : `$${restrictedWord(rng, 2)}`}${rng.chance(0.15) ? '' : '"'}`],
      [3, () => rng.pick(['$?', '$$', '$#', '$@', '$*', '$!', `$${restrictedWord(rng, 2)}`, `\${${restrictedWord(rng, 2)}}`, '${', '$', `\${#${restrictedWord(rng, 2)}}`, `\${${restrictedWord(rng, 2)}:-${restrictedWord(rng, 2)}}`, '$(', '$((', '${?}', '$1', '$9'])],
      [2, () => rng.pick(UNICODE)],
      [1, () => rng.pick(CONTROL)],
      [2, () => `\\${rng.pick([...PUNCT, 'q', 'n', '\\'])}`],
      [2, () => rng.pick(['*', '?', '[qz]', '[!q]', '[', ']', '**', '{q,z}', '{', '}'])],
      [1, () => (depth < 1 ? `(${word(rng, depth + 1)})` : 'q')],
    ])();
  let w = '';
  const n = rng.int(1, 3);
  for (let i = 0; i < n; i++) w += piece();
  return w;
}

function longWord(rng, quick) {
  const n = rng.int(200, quick ? 3000 : 12000);
  return rng.chance(0.5) ? rng.string(n, RESTRICTED) : `"${rng.string(n, RESTRICTED + ' \'|;&')}"`;
}

function redirect(rng) {
  if (rng.chance(0.3)) return rng.pick(DUPS);
  const op = rng.pick(REDIRS);
  const target = rng.weighted([
    [5, () => outPlaceholder(rng.int(0, OUT_FILES - 1))],
    [3, () => DEVNULL],
    [2, () => restrictedWord(rng)],
    [1, () => ''],
  ])();
  return `${op}${rng.chance(0.6) ? '' : ' '}${target}`;
}

function simpleCommand(rng, quick) {
  const parts = [];
  if (rng.chance(0.08)) parts.push(`${restrictedWord(rng, 2).replace(/^[0-9]/, 'q')}=${word(rng)}`);
  const name = rng.weighted([
    [20, () => rng.pick(VOCAB)],
    [2, () => rng.pick(KEYWORDS)],
    [1, () => rng.pick(['!', '{', '}', '(', ')', '$?', '$$', '\\echo', "'echo'", '"true"', 'ec""ho'])],
  ])();
  parts.push(name === 'cat' ? `cat ${DEVNULL}` : name);
  const args = rng.int(0, 5);
  for (let i = 0; i < args; i++) {
    parts.push(rng.weighted([
      [10, () => word(rng)],
      [3, () => redirect(rng)],
      [0.3, () => longWord(rng, quick)],
      [1, () => rng.pick(VOCAB.filter((v) => v !== 'cat'))],
    ])());
  }
  if (name === '[' && rng.chance(0.7)) parts.push(']');
  return parts.join(rng.chance(0.9) ? ' ' : rng.pick(['  ', '\t', ' \\\n ']));
}

function pipeline(rng, quick, depth) {
  if (depth < 2 && rng.chance(0.1)) return `${rng.chance(0.5) ? '(' : '{ '}${commandList(rng, quick, depth + 1)}${rng.chance(0.85) ? (rng.chance(0.5) ? ')' : '; }') : ''}`;
  const n = rng.weighted([[6, 1], [3, 2], [1, 4]]);
  const cmds = [];
  for (let i = 0; i < n; i++) cmds.push(simpleCommand(rng, quick));
  return `${rng.chance(0.05) ? '! ' : ''}${cmds.join(rng.chance(0.9) ? ' | ' : rng.pick(['|', ' |& ', '||']))}`;
}

function commandList(rng, quick, depth = 0) {
  const n = rng.weighted([[5, 1], [3, 2], [2, 3], [1, 6]]);
  let out = pipeline(rng, quick, depth);
  for (let i = 1; i < n; i++) out += `${rng.chance(0.7) ? ' ' : ''}${rng.pick(OPS)}${rng.chance(0.7) ? ' ' : ''}${pipeline(rng, quick, depth)}`;
  if (rng.chance(0.1)) out += rng.pick([' &', ';', ' ;', ' &&', ' |', ' \\', ' #q', ' 2>&1']);
  return out;
}

function mutate(rng, line) {
  const chars = [...line];
  const n = rng.int(1, 4);
  for (let k = 0; k < n; k++) {
    const at = rng.int(0, chars.length);
    rng.weighted([
      [3, () => chars.splice(at, 1)],
      [4, () => chars.splice(at, 0, rng.pick([...PUNCT]))],
      [1, () => chars.splice(at, 0, rng.pick(UNICODE))],
      [1, () => chars.splice(at, 0, rng.pick(CONTROL))],
      [2, () => chars.splice(at, 0, ...chars.slice(at, at + rng.int(1, 12)))],
      [1, () => chars.splice(at, chars.length)],
      [1, () => chars.splice(at, 0, rng.pick(["'", '"', '`', '$(', '${', '\\']))],
    ])();
  }
  return chars.join('');
}

/** The safety guard described at the top; also bounds digit runs (printf widths). */
export function isHarmless(line) {
  if (/[/.~]/.test(line.replace(/[\ue000-\ue0ff]/g, ''))) return false;
  const joined = line.replace(/[\ue000-\ue0ff]/g, ' ').replace(/['"\\${}`]/g, '');
  for (const run of joined.match(/[A-Za-z]+/g) ?? []) {
    if (ALLOWED_RUNS.has(run)) continue;
    if (/^[qzjkQZJK]+$/.test(run)) continue;
    return false;
  }
  if (/[0-9]{6,}/.test(joined)) return false;
  // cat must never read a file that the same line appends to (cat f >> f grows forever).
  if (/cat/.test(joined) && /[\ue001-\ue0ff]/.test(line)) return false;
  if (line.length > 16_000) return false;
  return true;
}

export function makeLine(rng, quick) {
  for (let attempt = 0; attempt < 50; attempt++) {
    let line = commandList(rng, quick);
    if (rng.chance(0.35)) line = mutate(rng, line);
    if (isHarmless(line)) return line;
  }
  return `echo ${restrictedWord(rng)}`;
}

export function substitute(line, work) {
  return line.replace(/[\ue000-\ue0ff]/g, (c) => (c === DEVNULL ? '/dev/null' : join(work.dir, 'fuzz-out', `o${c.charCodeAt(0) - 0xe000}`)));
}

export async function fuzzShell({ res, daemon, work, quick, seed }) {
  const rng = Rng.forTarget(seed, 'shell');
  const budget = budgetFor(quick, { quickMax: 100, fullMax: 2000 });
  mkdirSync(join(work.dir, 'fuzz-out'), { recursive: true });
  const bin = join(work.dir, 'fuzz-bin');
  mkdirSync(bin, { recursive: true });
  for (const name of ['basename', 'test', '[']) {
    const target = ['/usr/bin', '/bin'].map((d) => join(d, name)).find((p) => existsSync(p));
    if (target && !existsSync(join(bin, name))) symlinkSync(target, join(bin, name));
  }
  const prefix = `PATH=${bin}; `;
  const logStart = daemon.log().length;
  const client = await connect(daemon, work);
  let hangs = 0;
  const hangExamples = [];
  const internal = [];
  const codes = new Map();
  let sandboxOk = false;
  let sandboxDetail = '';
  try {
    // The sandbox must hold before any random line runs: no external program by name.
    const probe = await exec(client, `${prefix}sh -c 'echo escaped'; basename /q/zq`, { timeoutMs: 5000 });
    sandboxOk = !probe.stdout.includes('escaped') && /not found/.test(probe.stderr);
    sandboxDetail = `PATH=fuzz-bin; sh → ${preview(probe.stderr.trim(), 80)}, basename → ${preview(probe.stdout.trim(), 40)}`;
    if (!sandboxOk) throw new Error(`sandbox PATH not in effect: ${sandboxDetail}`);
    while (budget.more()) {
      const line = makeLine(rng, quick);
      const command = prefix + substitute(line, work);
      budget.tried++;
      try {
        const r = await exec(client, command, { timeoutMs: 5000 });
        codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
        const bad = internalErrors(r.stderr);
        if (bad.length) internal.push(`${preview(line, 120)} → ${preview(bad[0], 160)}`);
      } catch (err) {
        hangs++;
        hangExamples.push(`seed ${seed} input #${budget.tried} ${preview(line, 200)}: ${shortError(err)}`);
      }
    }
  } catch (err) {
    hangExamples.push(`aborted: ${err.message}`);
    hangs += sandboxOk ? 1 : 0;
  } finally {
    client.end();
  }
  const ms = budget.elapsedMs();
  const logged = internalErrors(logSince(daemon, logStart));
  const alive = await probeAlive(daemon, work);
  report(res, {
    name: 'shell', tried: budget.tried, ms, hangs, hangExamples, alive,
    extraFigures: [['exit codes', [...codes].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c}×${n}`).join(' ')]],
    extraChecks: [
      ['sandbox PATH in effect (no external program reachable by name)', sandboxOk, sandboxDetail],
      ['no internal error from the shell or daemon', internal.length === 0 && logged.length === 0,
        internal.length || logged.length ? [...internal, ...logged.map((l) => preview(l, 200))].slice(0, 3).join(' | ') : 'none'],
    ],
  });
}
