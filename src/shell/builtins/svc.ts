// `svc`: list and control the services of breakglass-init over its Unix socket (the
// same HTTP API as the web UI: GET /, /status, POST /restart, /stop).
import type { BuiltinContext } from '../types.js';
import { resolveServicePath } from '../../webui/index.js';
import { initBuiltin, initClient } from './init-client.js';
import { fail } from './io.js';
import { write } from '../../os/index.js';
import { parseOptions } from '../options.js';

const USAGE = `usage: svc [list] [--json]
       svc status SERVICE [--json]
       svc start SERVICE      (when stopped)
       svc restart SERVICE    (starts it, or restarts it when running)
       svc stop SERVICE
SERVICE is a path such as /user/breakglass, or its last element (breakglass).
Talks to breakglass-init over its Unix socket ($BREAKGLASS_INIT_SOCKET).
`;

interface Row {
  Path: string;
  State?: string;
  Stopped?: boolean;
  Pid?: number;
  LastLine?: string;
  StartTime?: string | null;
  LastExit?: { Code: number | null; Signal: string | null } | null;
  Args?: string[];
  Restarts?: number;
}

function stateOf(row: Row): string {
  return row.State ?? (row.Stopped ? 'stopped' : 'running');
}

function formatTable(rows: Row[], width: number): string {
  const pathWidth = Math.max(7, ...rows.map((r) => r.Path.length));
  const head = `${'SERVICE'.padEnd(pathWidth)}  ${'STATE'.padEnd(8)}  ${'PID'.padStart(7)}  LAST LOG LINE`;
  const lines = rows.map((r) => {
    const prefix = `${r.Path.padEnd(pathWidth)}  ${stateOf(r).padEnd(8)}  ${String(r.Pid || '-').padStart(7)}  `;
    const room = Math.max(10, width - prefix.length);
    const last = (r.LastLine ?? '').replace(/[\x00-\x1f\x7f]/g, ' ');
    return prefix + (last.length > room ? `${last.slice(0, room - 1)}…` : last);
  });
  return `${[head, ...lines].join('\n')}\n`;
}

function formatStatus(r: Row): string {
  const exit = r.LastExit ? (r.LastExit.Signal ? `killed by ${r.LastExit.Signal}` : `status ${r.LastExit.Code}`) : '-';
  return [
    `service:    ${r.Path}`,
    `state:      ${stateOf(r)}`,
    `pid:        ${r.Pid || '-'}`,
    `started:    ${r.StartTime ?? '-'}`,
    `last exit:  ${exit}`,
    `restarts:   ${r.Restarts ?? '-'}`,
    `command:    ${(r.Args ?? []).join(' ')}`,
    `last line:  ${r.LastLine ?? ''}`,
  ].join('\n') + '\n';
}

async function run(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(args, { long: { json: false } });
  if (opts.has('help')) {
    await write(ctx.stdout, USAGE);
    return 0;
  }
  const [verb = 'list', name, ...extra] = opts.operands;
  if (extra.length > 0) return fail(ctx.stderr, 'svc', `unexpected argument ${extra[0]} (see svc --help)`, 2);
  const client = initClient(ctx);
  if (verb === 'list' || verb === 'ls') {
    const { Services } = await client.overview();
    const rows = Services as unknown as Row[];
    await write(ctx.stdout, opts.has('json') ? `${JSON.stringify(rows, null, 2)}\n` : formatTable(rows, ctx.isTTY ? ctx.terminal.cols : 200));
    return 0;
  }
  if (!['status', 'restart', 'start', 'stop'].includes(verb)) return fail(ctx.stderr, 'svc', `unknown command ${verb} (list, status, restart, start, stop)`, 2);
  if (!name) return fail(ctx.stderr, 'svc', `${verb} needs a SERVICE (see svc list)`, 2);
  const path = await resolveServicePath(client, name);
  if (verb === 'start') {
    // gokrazy's /restart also restarts a running service; `start` must not (it may be our own SSH server).
    const state = await client.status(path);
    if (state.started) {
      await write(ctx.stdout, `${path} is already running (svc restart restarts it)\n`);
      return 0;
    }
    await client.act('restart', path, state.xsrfToken);
    await write(ctx.stdout, `starting ${path}\n`);
    return 0;
  }
  if (verb !== 'status') {
    await client.act(verb === 'stop' ? 'stop' : 'restart', path);
    await write(ctx.stdout, `${verb === 'stop' ? 'stopping' : 'restarting'} ${path}\n`);
    return 0;
  }
  const row = (await client.statusJson(path)) as unknown as Row;
  await write(ctx.stdout, opts.has('json') ? `${JSON.stringify(row, null, 2)}\n` : formatStatus(row));
  return 0;
}

export const svc = initBuiltin({
  name: 'svc',
  summary: 'list, start, stop and inspect the services of breakglass-init',
  usage: USAGE,
  run,
});
