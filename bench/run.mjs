#!/usr/bin/env node
// `npm run bench`: measures breakglassd side by side with OpenSSH's sshd and Dropbear on
// loopback, in one run, and writes BENCHMARKS.md. Everything it starts runs in its own
// process group and is killed at the end, on error and on SIGINT/SIGTERM; its files
// live in two temporary directories (/tmp, /dev/shm) removed the same way.
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { run, failure, killAllSync } from './lib/proc.mjs';
import { REPO, STARTERS, LABELS, DEST, makeClientKey, clientOptions, breakglassd } from './lib/servers.mjs';
import { resolve } from 'node:path';
import { Section } from './lib/results.mjs';
import { machineInfo, loadAverage } from './lib/sysinfo.mjs';
import { renderReport } from './lib/report.mjs';
import { ensurePackages } from './lib/packages.mjs';
import { measureConnect } from './measures/connect.mjs';
import { measureTransfer } from './measures/transfer.mjs';
import { measureColdStart } from './measures/coldstart.mjs';
import { measureMemory } from './measures/memory.mjs';
import { measureBuiltins } from './measures/builtins.mjs';
import { measureToolbox } from './measures/toolbox.mjs';

const MEASURES = {
  connect: measureConnect,
  transfer: measureTransfer,
  coldstart: measureColdStart,
  memory: measureMemory,
  builtins: measureBuiltins,
  toolbox: measureToolbox,
};
const SERVERS = ['breakglassd', 'openssh', 'dropbear'];

const USAGE = `Usage: node bench/run.mjs [options]

Measures breakglassd against OpenSSH sshd and Dropbear on 127.0.0.1 and writes a report.

  --quick              few iterations and small files (a smoke run; figures meaningless)
  --only LIST          comma list of sections: ${Object.keys(MEASURES).join(',')} (default: all)
  --servers LIST       comma list of servers: ${SERVERS.join(',')} (default: all)
  --out PATH           report file (default: BENCHMARKS.md in the repository)
  --json PATH          also write the raw samples as JSON
  --breakglassd PATH   the bundle to run (default: dist/breakglassd.js), for A/B experiments
  --node-arg FLAG      a node flag for breakglassd (repeatable), e.g. --node-arg=--max-semi-space-size=2
  --render JSON        only render the report again from a --json file of an earlier run
                       (e.g. after editing bench/ANALYSIS.md); measures nothing
  --no-install         do not apt-get install missing openssh-server / dropbear-bin
  --time-limit SECS    abort when the run takes longer (default: 1200, quick: 180)
  --help               this text
`;

function usageError(message) {
  process.stderr.write(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseList(value, valid, flag) {
  const items = value.split(',').map((item) => item.trim()).filter(Boolean);
  for (const item of items) if (!valid.includes(item)) usageError(`${flag}: unknown "${item}"; valid: ${valid.join(', ')}`);
  if (items.length === 0) usageError(`${flag} needs a value`);
  return items;
}

export function parseArgs(argv) {
  const options = { quick: false, only: Object.keys(MEASURES), servers: SERVERS, out: join(REPO, 'BENCHMARKS.md'), json: undefined, install: true, timeLimit: undefined, bundle: undefined, nodeArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq !== -1) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const need = () => {
      if (value !== undefined) return value;
      if (i + 1 >= argv.length) usageError(`${arg} needs a value`);
      return argv[++i];
    };
    switch (arg) {
      case '--quick': options.quick = true; break;
      case '--only': options.only = parseList(need(), Object.keys(MEASURES), '--only'); break;
      case '--servers': options.servers = parseList(need(), SERVERS, '--servers'); break;
      case '--out': options.out = need(); break;
      case '--json': options.json = need(); break;
      case '--no-install': options.install = false; break;
      case '--render': options.render = need(); break;
      case '--breakglassd': options.bundle = resolve(need()); break;
      case '--node-arg': options.nodeArgs.push(need()); break;
      case '--time-limit': {
        const seconds = Number(need());
        if (!Number.isFinite(seconds) || seconds <= 0) usageError('--time-limit needs a positive number of seconds');
        options.timeLimit = seconds;
        break;
      }
      case '--help': case '-h': process.stdout.write(USAGE); process.exit(0); break;
      default: usageError(`unknown argument "${argv[i]}"`);
    }
  }
  options.timeLimit ??= options.quick ? 180 : 1200;
  // Keep the canonical order so the tables read the same every time.
  options.servers = SERVERS.filter((name) => options.servers.includes(name));
  options.only = Object.keys(MEASURES).filter((name) => options.only.includes(name));
  return options;
}

function progress(message) {
  process.stderr.write(`bench: ${message}\n`);
}

function readAnalysis() {
  const analysisPath = join(import.meta.dirname, 'ANALYSIS.md');
  return existsSync(analysisPath) ? readFileSync(analysisPath, 'utf8') : undefined;
}

/** --render: the report of an earlier run, from its JSON, with the current ANALYSIS.md. */
function renderAgain(options) {
  const saved = JSON.parse(readFileSync(options.render, 'utf8'));
  const report = renderReport({
    ...saved.render,
    sections: saved.sections.map((section) => Section.fromJSON(section)),
    analysis: saved.render.experiment ? undefined : readAnalysis(),
  });
  writeFileSync(options.out, report);
  progress(`rendered ${options.render} into ${options.out}`);
}

async function main() {
  const argv = process.argv.slice(2);
  const options = parseArgs(argv);
  if (options.render) return renderAgain(options);
  const started = Date.now();
  const loadBefore = loadAverage();
  const deadline = started + options.timeLimit * 1000;
  if (options.bundle) {
    if (!existsSync(options.bundle)) usageError(`--breakglassd: ${options.bundle} does not exist`);
    breakglassd.bundle = options.bundle;
  }
  breakglassd.nodeArgs = options.nodeArgs;
  if (options.install) await ensurePackages(options.servers, progress);

  const ws = { dir: mkdtempSync('/tmp/bench-'), shm: mkdtempSync(existsSync('/dev/shm') ? '/dev/shm/bench-' : '/tmp/bench-shm-') };
  progress(`workspace ${ws.dir} ${ws.shm}`);
  const cleanup = () => {
    killAllSync();
    for (const dir of [ws.dir, ws.shm]) rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      progress(`${signal}: stopping everything`);
      cleanup();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }

  const key = await makeClientKey(ws.dir);
  const servers = new Map();
  const unavailable = new Map();
  const sections = [];
  const ctx = {
    ws,
    key,
    quick: options.quick,
    names: options.servers,
    servers,
    unavailable,
    /** Servers that are running and usable, in table order. */
    live: () => options.servers.filter((name) => servers.has(name)),
    peerRatios: () => ['openssh', 'dropbear'].filter((peer) => options.servers.includes(peer) && options.servers.includes('breakglassd')).map((peer) => ['breakglassd', peer]),
    section(id, title, layout) {
      const section = new Section(id, title, layout);
      sections.push(section);
      return section;
    },
    clientOptions: (port, extra = {}) => clientOptions(key, port, extra),
    sshTo: (port, command, runOptions = {}) => run('ssh', [...clientOptions(key, port, runOptions), DEST, command], runOptions),
    ssh: (name, command, runOptions = {}) => ctx.sshTo(servers.get(name).port, command, runOptions),
    // sftp takes the host last, after -b BATCH; scp's operands already name it.
    toolTo: (port, tool, args, runOptions = {}) => run(tool, [...clientOptions(key, port, runOptions), ...args, ...(tool === 'sftp' ? [DEST] : [])], runOptions),
    tool: (name, tool, args, runOptions = {}) => ctx.toolTo(servers.get(name).port, tool, args, { timeoutMs: 300_000, ...runOptions }),
    reason: (result, what, extra) => `${failure(result, what)}${extra ? `; ${extra}` : ''}`,
    checkTime() {
      if (Date.now() > deadline) throw new Error(`time limit of ${options.timeLimit} s exceeded (--time-limit)`);
    },
  };

  // One long-lived instance of each server serves the connect, transfer, built-in and
  // toolbox sections; cold start and memory start their own.
  const shared = options.only.some((id) => ['connect', 'transfer', 'builtins', 'toolbox'].includes(id));
  for (const name of options.servers) {
    if (!shared) break;
    try {
      servers.set(name, await STARTERS[name](ws, key));
      progress(`${LABELS[name]} listening on 127.0.0.1:${servers.get(name).port}`);
    } catch (error) {
      unavailable.set(name, `does not start: ${error.message}`);
      progress(`${LABELS[name]} unavailable: ${error.message}`);
    }
  }
  try {
    for (const id of options.only) {
      progress(`measuring ${id}`);
      const before = sections.length;
      const sectionStart = Date.now();
      try {
        await MEASURES[id](ctx);
      } catch (error) {
        progress(`${id} aborted: ${error.message}`);
        const section = sections.slice(before)[0] ?? ctx.section(id, id, { columns: options.servers });
        section.note(`This section was cut short: ${error.message}`);
        if (/time limit/.test(error.message)) break;
      }
      progress(`${id} took ${((Date.now() - sectionStart) / 1000).toFixed(1)} s`);
      // A server that cannot run a command gets its rows marked rather than dropped.
      for (const section of sections.slice(before)) {
        for (const row of section.rows) {
          for (const [name, reason] of unavailable) if (section.columns.includes(name) && !row.summary(name)) row.fail(name, reason);
        }
      }
    }
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()));
  }

  const info = { ...(await machineInfo(breakglassd.bundle)), loadBefore, loadAfter: loadAverage() };
  const experiment = Boolean(options.bundle || options.nodeArgs.length);
  const render = {
    info,
    options: { quick: options.quick },
    clientOptions: clientOptions({ privatePath: 'KEY' }, 'PORT'),
    elapsedSeconds: (Date.now() - started) / 1000,
    argv,
    breakglassd: { bundle: breakglassd.bundle, nodeArgs: breakglassd.nodeArgs },
    experiment,
  };
  // The hand-written analysis belongs to the default build only, not to an experiment.
  writeFileSync(options.out, renderReport({ ...render, sections, analysis: experiment ? undefined : readAnalysis() }));
  if (options.json) writeFileSync(options.json, `${JSON.stringify({ render, sections }, null, 2)}\n`);
  progress(`wrote ${options.out} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
  killAllSync();
  process.exitCode = 1;
});
