#!/usr/bin/env node
// node stress/run.mjs [--smoke] [--only load,abuse,faults,fuzz] [--seed N] [--out FILE] [--json FILE]
// The reliability suite: load, pre-auth abuse, faults and seeded fuzzing, one category
// after another, each under a time limit (the whole run stays under 10 minutes). Writes
// RELIABILITY.md (default: at the repo root; with --smoke only where --out says) from
// the run's own figures, and exits 1 if any check failed. Needs `npm run build` first.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { runAbuse } from './abuse.mjs';
import { runFaults } from './faults.mjs';
import { runFuzz } from './fuzz/index.mjs';
import { REPO } from './lib/daemon.mjs';
import { runLoad } from './load.mjs';

// Full: the issue's sizes, but 4 MiB per transfer (1000 logins alone take ~5 min here).
const CATEGORIES = {
  load: {
    limitS: { full: 420, smoke: 60 },
    full: () => runLoad({ quick: false, sizes: { shells: 100, transfers: 20, transferBytes: 4 << 20, logins: 1000 } }),
    smoke: () => runLoad({ quick: true, sizes: { shells: 4, transfers: 2, transferBytes: 64 << 10, logins: 5 } }),
    describe: { full: '100 concurrent pty shells, 20 concurrent SFTP up+down of 4 MiB, 1000 sequential logins', smoke: '4 shells, 2 transfers of 64 KiB, 5 logins' },
  },
  abuse: {
    limitS: { full: 60, smoke: 30 },
    full: () => runAbuse(),
    smoke: () => runAbuse({ smoke: true }),
    describe: { full: '200 silent connections, 100 slow banners, 1 MiB of junk, 9 malformed packets, 5 timed logins', smoke: '20 silent connections, 4 slow banners, 64 KiB of junk, malformed packets, 1 login' },
  },
  faults: {
    limitS: { full: 120, smoke: 40 },
    full: () => runFaults(),
    smoke: () => runFaults({ smoke: true }),
    describe: { full: 'clients killed mid upload, download, pty program and interactive shell; authorized_keys deleted and corrupted; SIGTERM mid-session; toolbox quota exceeded and its tmpfs full; a web UI restart storm', smoke: 'one client killed mid SFTP upload into the toolbox' },
  },
  fuzz: {
    limitS: { full: 220, smoke: 40 },
    full: (seed) => runFuzz({ quick: false, seed }),
    smoke: (seed) => runFuzz({ quick: true, seed }),
    describe: { full: 'six seeded targets, ~25 s each', smoke: 'six seeded targets, ~2 s each' },
  },
};

function usage(message) {
  if (message) process.stderr.write(`stress: ${message}\n`);
  process.stderr.write('usage: node stress/run.mjs [--smoke] [--only load,abuse,faults,fuzz] [--seed N] [--out FILE] [--json FILE]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { smoke: false, only: Object.keys(CATEGORIES), seed: undefined, out: undefined, json: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = () => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    if (flag === '--smoke') o.smoke = true;
    else if (flag === '--only') {
      o.only = value().split(',').filter(Boolean);
      const bad = o.only.filter((c) => !CATEGORIES[c]);
      if (!o.only.length || bad.length) usage(`unknown category ${bad.join(',') || '(none)'}`);
    } else if (flag === '--seed') {
      o.seed = value();
      if (!/^\d+$/.test(o.seed)) usage('--seed needs a non-negative integer');
    } else if (flag === '--out') o.out = value();
    else if (flag === '--json') o.json = value();
    else if (flag === '--help' || flag === '-h') usage();
    else usage(`unknown argument ${argv[i]}`);
  }
  if (!o.smoke && o.out === undefined) o.out = join(REPO, 'RELIABILITY.md');
  return o;
}

/** Runs one category under its time limit; an exception or the limit becomes a failed check. */
async function runCategory(name, mode, seed) {
  const cat = CATEGORIES[name];
  const started = Date.now();
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`over its time limit of ${cat.limitS[mode]} s`)), cat.limitS[mode] * 1000);
  });
  let r;
  try {
    r = await Promise.race([cat[mode](seed), limit]);
  } catch (err) {
    r = { id: name, title: name, figures: [], checks: [{ label: `${name} ran to completion`, ok: false, detail: String(err.stack ?? err.message).slice(0, 600) }] };
  } finally {
    clearTimeout(timer);
  }
  return { ...r, seconds: (Date.now() - started) / 1000, scope: cat.describe[mode] };
}

function machine() {
  // `ssh -V` prints its version on stderr.
  const ssh = spawnSync('ssh', ['-V'], { encoding: 'utf8' });
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model?.trim() ?? 'unknown',
    memGiB: (totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    ssh: `${ssh.stderr ?? ''}${ssh.stdout ?? ''}`.trim() || 'ssh: unknown version',
  };
}

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

function markdown(results, { smoke, seconds, m }) {
  const lines = [
    '# Reliability: breakglassd under load, abuse, faults and fuzzing',
    '',
    `Generated by \`npm run stress\` (stress/run.mjs${smoke ? ' --smoke' : ''}) from this run's own figures; every number below was measured, none is typed in.`,
    'Figures are what happened on this machine; the checks are what must hold on any machine.',
    '',
    `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- Machine: nproc ${m.nproc} (${m.cpu}), ${m.memGiB} GiB RAM`,
    `- Node ${m.node}; ${m.ssh}`,
    `- Whole run: ${seconds.toFixed(0)} s`,
    '',
    '| Category | Scope | Checks passed | Duration |',
    '| --- | --- | --- | --- |',
    ...results.map((r) => `| ${cell(r.title)} | ${cell(r.scope)} | ${r.checks.filter((c) => c.ok).length} / ${r.checks.length} | ${r.seconds.toFixed(0)} s |`),
    '',
  ];
  for (const r of results) {
    lines.push(`## ${r.title}`, '', `${r.scope}. ${r.seconds.toFixed(0)} s.`, '');
    if (r.figures.length) {
      lines.push('| Measured | Figure |', '| --- | --- |', ...r.figures.map((f) => `| ${cell(f.label)} | ${cell(f.value)} |`), '');
    }
    lines.push('| Check | Result | Detail |', '| --- | --- | --- |', ...r.checks.map((c) => `| ${cell(c.label)} | ${c.ok ? 'pass' : '**FAIL**'} | ${cell(c.detail)} |`), '');
  }
  return lines.join('\n');
}

const opts = parseArgs(process.argv.slice(2));
const mode = opts.smoke ? 'smoke' : 'full';
const started = Date.now();
const results = [];
for (const name of opts.only) {
  process.stderr.write(`stress: ${name} (${mode})…\n`);
  const r = await runCategory(name, mode, opts.seed);
  const failed = r.checks.filter((c) => !c.ok);
  process.stderr.write(`stress: ${name}: ${r.checks.length - failed.length}/${r.checks.length} checks passed in ${r.seconds.toFixed(1)} s\n`);
  for (const c of failed) process.stderr.write(`  FAIL ${c.label}: ${c.detail}\n`);
  results.push(r);
}
const seconds = (Date.now() - started) / 1000;
if (opts.json) writeFileSync(opts.json, `${JSON.stringify({ mode, seconds, machine: machine(), results }, null, 2)}\n`);
if (opts.out) {
  writeFileSync(opts.out, markdown(results, { smoke: opts.smoke, seconds, m: machine() }));
  process.stderr.write(`stress: wrote ${opts.out}\n`);
}
const failures = results.flatMap((r) => r.checks.filter((c) => !c.ok));
process.stderr.write(`stress: ${failures.length ? `${failures.length} check(s) failed` : 'all checks passed'} in ${seconds.toFixed(0)} s\n`);
process.exit(failures.length ? 1 : 0);
