#!/usr/bin/env node
// node stress/fuzz/cli.mjs [--quick] [--seed N] [--only shell,sftp,…]
// Runs the seeded fuzz targets and prints the result as JSON; exits 1 if a check failed.
import { TARGETS, runFuzz } from './index.mjs';

function usage(message) {
  if (message) process.stderr.write(`fuzz: ${message}\n`);
  process.stderr.write(`usage: node stress/fuzz/cli.mjs [--quick] [--seed N] [--only ${TARGETS.map(([n]) => n).join(',')}]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let quick = false;
let seed;
let only;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--quick') quick = true;
  else if (a === '--seed' || a.startsWith('--seed=')) {
    seed = a.includes('=') ? a.slice(7) : args[++i];
    if (seed === undefined || !/^\d+$/.test(seed)) usage('--seed needs a non-negative integer');
  } else if (a === '--only' || a.startsWith('--only=')) {
    const v = a.includes('=') ? a.slice(7) : args[++i];
    only = (v ?? '').split(',').filter(Boolean);
    const bad = only.filter((n) => !TARGETS.some(([t]) => t === n));
    if (!only.length || bad.length) usage(`unknown target(s) ${bad.join(',') || '(none)'}`);
  } else if (a === '--help' || a === '-h') usage();
  else usage(`unknown argument ${a}`);
}

const r = await runFuzz({ quick, seed, only });
process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
const failed = r.checks.filter((c) => !c.ok);
for (const c of failed) process.stderr.write(`FAIL ${c.label}: ${c.detail}\n`);
process.stderr.write(`fuzz: seed ${r.figures.find((f) => f.label === 'seed')?.value}, ${r.checks.length - failed.length}/${r.checks.length} checks passed\n`);
process.exit(failed.length ? 1 : 0);
