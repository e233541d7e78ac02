// 1. Connect + authenticate + exec: a fresh `ssh` process per run (no connection
// sharing), interleaved across servers, ≥ 30 runs each in a full run.
import { cpuMsWithReaped } from '../lib/procfs.mjs';
import { sleep } from '../lib/proc.mjs';

const LOADAVG = /^\d+\.\d+ \d+\.\d+ \d+\.\d+ \d+\/\d+ \d+\s*$/;

export async function measureConnect(ctx) {
  const section = ctx.section('connect', 'Connect + authenticate + exec', {
    columns: ctx.names,
    ratios: ctx.peerRatios(),
  });
  const runs = ctx.quick ? 1 : 30;
  const cases = [
    { command: 'true', check: (out) => out.length === 0, target: { column: 'breakglassd', peer: 'openssh', maxRatio: 0.5 } },
    { command: 'cat /proc/loadavg', check: (out) => LOADAVG.test(out), target: { column: 'breakglassd', peer: 'openssh', maxRatio: 0.5 } },
  ];
  for (const c of cases) {
    c.row = section.row(`ssh 127.0.0.1 '${c.command}'`, 'ms', 'lower', { target: c.target });
    section.command(`ssh $OPTS 127.0.0.1 '${c.command}'`);
  }
  const attempt = async (name, c, record) => {
    if (c.row.failed(name)) return;
    const result = await ctx.ssh(name, c.command, { timeoutMs: 20_000 });
    const out = result.stdout.toString();
    if (result.code !== 0 || !c.check(out)) {
      c.row.fail(name, ctx.reason(result, `ssh '${c.command}'`, out));
      return;
    }
    if (record) c.row.add(name, result.ms);
  };
  // One untimed round warms the page cache and each server's lazy paths.
  if (!ctx.quick) for (const c of cases) for (const name of ctx.live()) await attempt(name, c, false);
  // CPU time each server spent over the whole timed loop (its reaped per-connection
  // processes included), per connection: steadier than wall time on a busy machine.
  const cpuRow = section.row('server CPU time per connection (mean over the runs above)', 'ms', 'lower');
  const cpuBefore = new Map(ctx.live().map((name) => [name, cpuMsWithReaped(ctx.servers.get(name).pid)]));
  for (let i = 0; i < runs; i++) {
    ctx.checkTime();
    for (const c of cases) for (const name of ctx.live()) await attempt(name, c, true);
  }
  await sleep(500);
  for (const name of ctx.live()) {
    const connections = cases.reduce((sum, c) => sum + (c.row.samples[name]?.length ?? 0), 0);
    if (connections === 0 || cases.some((c) => c.row.failed(name))) {
      cpuRow.fail(name, 'not every connection succeeded');
      continue;
    }
    cpuRow.add(name, (cpuMsWithReaped(ctx.servers.get(name).pid) - cpuBefore.get(name)) / connections);
  }
  section.note(`${runs} interleaved run${runs === 1 ? '' : 's'} per server and command (order breakglassd, OpenSSH, Dropbear, repeated), after ${ctx.quick ? 'no' : 'one untimed'} warm-up run; wall time of the client process from spawn to exit.`);
}
