// The fuzz part of the reliability suite: one breakglassd (plus, for the HTTP target,
// one breakglass-init) on 127.0.0.1, six seeded targets run one after another. The
// same seed gives the same inputs (random.mjs); each target is bounded by a count and
// a time limit (quick: ~2 s each, the whole run ≤ 20 s; full: ~25 s each, ≤ 3 min).
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename } from 'node:path';
import { makeWorkdir, result, startDaemon } from '../lib/daemon.mjs';
import { fuzzAuthorizedKeys } from './authorized-keys.mjs';
import { fuzzHttp } from './http.mjs';
import { normalizeSeed } from './random.mjs';
import { fuzzScp } from './scp.mjs';
import { fuzzSftp } from './sftp.mjs';
import { fuzzShell } from './shell.mjs';
import { fuzzTar } from './tar.mjs';

export const TARGETS = [
  ['shell', fuzzShell],
  ['sftp', fuzzSftp],
  ['scp', fuzzScp],
  ['authorized_keys', fuzzAuthorizedKeys],
  ['tar', fuzzTar],
  ['http', fuzzHttp],
];

const ls = (dir) => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

/**
 * Entries that appeared in / or the temp dir during the run and look like ours: any
 * new name in /, and in the temp dir names with bytes outside printable ASCII or that
 * are a cut-off copy of WORK's name (a path cut short and completed by other bytes).
 */
function strays(before, work) {
  const base = basename(work.dir);
  const out = [];
  for (const name of ls('/')) if (!before.root.includes(name)) out.push(`/${name}`);
  for (const name of ls(tmpdir())) {
    if (before.tmp.includes(name) || name === base) continue;
    const printable = name.replace(/[^\x20-\x7e]/g, '');
    if (printable !== name || (printable.length && base.startsWith(printable)) || name.startsWith(`${base}`)) out.push(`${tmpdir()}/${name}`);
  }
  return out.map((n) => JSON.stringify(n));
}

/** Runs every target (or those named in `only`); returns the category result. */
export async function runFuzz({ quick = false, seed, only } = {}) {
  const s = normalizeSeed(seed);
  const res = result('fuzz', 'Fuzz (seeded)');
  res.figure('seed', s);
  res.figure('mode', quick ? 'quick' : 'full');
  const started = Date.now();
  const work = makeWorkdir('bg-fuzz-');
  const before = { root: ls('/'), tmp: ls(tmpdir()) };
  let daemon;
  try {
    daemon = await startDaemon(work, ['--max-startups', '50']);
    for (const [name, run] of TARGETS) {
      if (only && !only.includes(name)) continue;
      const t = Date.now();
      try {
        await run({ res, daemon, work, quick, seed: s });
      } catch (err) {
        res.check(`${name}: target ran to completion`, false, `${err.stack ?? err.message}`.slice(0, 600));
        res.figure(`${name}: duration`, `${((Date.now() - t) / 1000).toFixed(1)} s (aborted)`);
      }
    }
  } catch (err) {
    res.check('breakglassd started', false, err.message.slice(0, 600));
  } finally {
    if (daemon) {
      const alive = daemon.alive();
      const exit = await daemon.stop();
      res.check('breakglassd still running at the end, stops on SIGTERM', alive && exit.signal === null && exit.code === 0, `alive: ${alive}, exit ${JSON.stringify(exit)}`);
    }
    work.remove();
    const stray = strays(before, work);
    res.check('nothing created outside WORK (new entries in / or stray names in the temp dir)', stray.length === 0, stray.slice(0, 5).join(', ') || 'none');
  }
  res.figure('total duration', `${((Date.now() - started) / 1000).toFixed(1)} s`);
  return res.r;
}
