// 5. Built-ins end to end, as a user sees them over SSH: breakglassd's `ps` with 1,000
// extra sleeping processes and `netstat -tan` with 2,000 open loopback sockets, against
// OpenSSH/Dropbear running procps `ps`, iproute2 `ss` and net-tools `netstat`.
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { spawnGroup, stopChild } from '../lib/proc.mjs';

/** Starts a helper (sleepers.mjs / sockets.mjs) and waits for its "ready" line. */
async function startHelper(script, args, timeoutMs) {
  const child = spawnGroup(process.execPath, [join(import.meta.dirname, '..', 'lib', script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk) => (err += chunk));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script}: not ready after ${timeoutMs} ms`)), timeoutMs);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}): ${err.slice(-200)}`));
    });
  });
  return { child, line: out.trim() };
}

async function timeRows(ctx, cases, runs, minLines) {
  const attempt = async (name, c, record) => {
    const command = c.commands[name];
    if (!command || c.row.failed(name)) return;
    const result = await ctx.ssh(name, command, { timeoutMs: 30_000 });
    if (result.code !== 0 || result.stdoutLines < minLines) {
      c.row.fail(name, ctx.reason(result, `ssh '${command}'`, `${result.stdoutLines} lines of output, expected ≥ ${minLines}`));
      return;
    }
    if (record) c.row.add(name, result.ms);
  };
  if (!ctx.quick) for (const c of cases) for (const name of ctx.live()) await attempt(name, c, false);
  for (let i = 0; i < runs; i++) {
    ctx.checkTime();
    for (const c of cases) for (const name of ctx.live()) await attempt(name, c, true);
  }
}

function perServer(ctx, builtin, peer) {
  return Object.fromEntries(ctx.names.map((name) => [name, name === 'breakglassd' ? builtin : peer]));
}

export async function measureBuiltins(ctx) {
  const extra = ctx.quick ? 20 : 1000;
  const pairs = ctx.quick ? 20 : 1000;
  const runs = ctx.quick ? 2 : 8;
  const section = ctx.section('builtins', 'Built-ins end to end over SSH', { columns: ctx.names, ratios: ctx.peerRatios() });
  const target = { column: 'breakglassd', peer: 'openssh', maxRatio: 1.0 };

  const psCases = [
    { commands: perServer(ctx, 'ps', 'ps -ef'), label: `\`ps\` (breakglassd built-in) vs procps \`ps -ef\`, ${extra} extra sleeping processes`, target },
    { commands: perServer(ctx, 'ps -ef', 'ps -ef'), label: `\`ps -ef\` everywhere, ${extra} extra sleeping processes` },
  ];
  const netCases = [
    { commands: perServer(ctx, 'netstat -tan', 'ss -tan'), label: `\`netstat -tan\` (breakglassd built-in) vs iproute2 \`ss -tan\`, ${2 * pairs} open sockets`, target },
  ];
  if (existsSync('/usr/bin/netstat') || existsSync('/bin/netstat')) {
    netCases.push({ commands: perServer(ctx, 'netstat -tan', 'netstat -tan'), label: `\`netstat -tan\` everywhere (net-tools on the peers), ${2 * pairs} open sockets`, target });
  } else {
    section.note('net-tools `netstat` is not installed: no row for it.');
  }
  for (const c of [...psCases, ...netCases]) {
    c.row = section.row(c.label, 'ms', 'lower', { target: c.target, commands: c.commands });
    for (const command of new Set(Object.values(c.commands))) section.command(`ssh $OPTS 127.0.0.1 '${command}'`);
  }

  const sleepers = await startHelper('sleepers.mjs', [String(extra), '900'], 120_000);
  try {
    await timeRows(ctx, psCases, runs, extra);
  } finally {
    await stopChild(sleepers.child);
  }
  const sockets = await startHelper('sockets.mjs', [String(pairs), '900'], 120_000);
  try {
    await timeRows(ctx, netCases, runs, 2 * pairs);
  } finally {
    await stopChild(sockets.child);
  }
  section.note(`${runs} interleaved runs per server and command after ${ctx.quick ? "no" : "one untimed"} warm-up run; every run must print at least as many lines as extra processes (or sockets). The extra processes are \`sleep\` children of one helper in its own process group; the sockets are ${pairs} connected TCP pairs on 127.0.0.1 held by one helper. Both are killed at the end of the section.`);
}
