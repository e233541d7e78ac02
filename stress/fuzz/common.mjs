// Shared pieces of the fuzz targets: budgets (a count and a time limit, whichever comes
// first), the "daemon alive and answering" probe, and the figures/checks every target reports.
import { connect, exec } from '../lib/daemon.mjs';

/** Stops after `max` inputs or `ms` milliseconds. */
export class Budget {
  constructor(max, ms) {
    this.max = max;
    this.deadline = Date.now() + ms;
    this.started = Date.now();
    this.tried = 0;
  }

  more() {
    return this.tried < this.max && Date.now() < this.deadline;
  }

  remainingMs() {
    return Math.max(0, this.deadline - Date.now());
  }

  elapsedMs() {
    return Date.now() - this.started;
  }
}

/** Per target limits: ~60 inputs in ~2 s quick, up to 2000 in ~25 s full. */
export function budgetFor(quick, { quickMax = 80, fullMax = 2000, quickMs = 2000, fullMs = 25_000 } = {}) {
  return quick ? new Budget(quickMax, quickMs) : new Budget(fullMax, fullMs);
}

/** A fresh login plus `echo ok` within 5 s, and the process still running. */
export async function probeAlive(daemon, work) {
  const started = Date.now();
  if (!daemon.alive()) return { ok: false, detail: `breakglassd is not running (exit ${daemon.child.exitCode ?? daemon.child.signalCode})` };
  let client;
  try {
    client = await connect(daemon, work, { timeoutMs: 5000 });
    const left = Math.max(100, 5000 - (Date.now() - started));
    const r = await exec(client, 'echo ok', { timeoutMs: left });
    const ms = Date.now() - started;
    if (r.stdout !== 'ok\n' || r.code !== 0) return { ok: false, detail: `echo ok gave ${JSON.stringify(r)} after ${ms} ms` };
    if (!daemon.alive()) return { ok: false, detail: 'breakglassd exited right after answering' };
    return { ok: ms <= 5000, detail: `fresh login + echo ok in ${ms} ms` };
  } catch (err) {
    return { ok: false, detail: `${err.message} (alive: ${daemon.alive()})` };
  } finally {
    client?.end();
  }
}

/** Lines of the daemon log written since `from` (a length of daemon.log()). */
export function logSince(daemon, from) {
  return daemon.log().slice(from);
}

/** Internal errors the daemon reports about itself (uncaught exceptions, shell bugs). */
export function internalErrors(text) {
  return text.split('\n').filter((l) => /internal error|uncaught|unhandled|TypeError|RangeError|ReferenceError|Maximum call stack|Cannot read propert|is not a function|is not iterable|undefined \(reading/i.test(l));
}

/** Shortens a value for a check's detail. */
export function preview(value, n = 160) {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s.length > n ? `${JSON.stringify(s.slice(0, n))}…(${s.length} chars)` : JSON.stringify(s);
}

/** Standard figures and checks of one target. */
export function report(res, { name, tried, ms, hangs, hangExamples = [], alive, extraFigures = [], extraChecks = [] }) {
  res.figure(`${name}: inputs tried`, tried);
  res.figure(`${name}: duration`, `${(ms / 1000).toFixed(1)} s`);
  for (const [label, value] of extraFigures) res.figure(`${name}: ${label}`, value);
  res.check(`${name}: every input got an answer within its timeout (hangs: ${hangs})`, hangs === 0,
    hangs ? `examples: ${hangExamples.slice(0, 3).join(' | ')}` : `${tried} inputs, 0 hangs`);
  for (const [label, ok, detail] of extraChecks) res.check(`${name}: ${label}`, ok, detail);
  res.check(`${name}: daemon alive and answering after ${tried} inputs`, alive.ok, alive.detail);
}

/** "exec LONG COMMAND not done within N ms" → "not done within N ms". */
export function shortError(err) {
  return err.message.replace(/^exec [^]* (not done within \d+ ms)$/, '$1');
}
