// `logs SERVICE`: the service's last 100 lines of stdout (or stderr) as breakglass-init
// keeps them; `-f` keeps following until ^C. Reads /log over the init's Unix socket.
import type { BuiltinContext } from '../types.js';
import { resolveServicePath } from '../../client/index.js';
import { initBuiltin, initClient } from './init-client.js';
import { fail, write } from './io.js';
import { parseOptions } from './options.js';

const USAGE = `usage: logs [-f] [--stream stdout|stderr] SERVICE
Prints the last lines (up to 100) SERVICE wrote to stdout, or to stderr with
--stream stderr (or -e). -f follows new lines until ^C.
SERVICE is a path such as /user/breakglass, or its last element (breakglass).
`;

async function run(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(args, { flags: 'fe', long: { follow: false, stream: true } });
  if (opts.has('help')) {
    await write(ctx.stdout, USAGE);
    return 0;
  }
  const stream = opts.get('stream') ?? (opts.has('e') ? 'stderr' : 'stdout');
  if (stream !== 'stdout' && stream !== 'stderr') return fail(ctx.stderr, 'logs', `--stream: expected stdout or stderr, got ${stream}`, 2);
  if (opts.operands.length !== 1) return fail(ctx.stderr, 'logs', 'expected one SERVICE (see logs --help)', 2);
  const follow = opts.has('f') || opts.has('follow');
  const client = initClient(ctx);
  const path = await resolveServicePath(client, opts.operands[0]!);
  for await (const line of client.logLines(path, stream, { follow, signal: ctx.signal })) {
    await write(ctx.stdout, `${line}\n`);
  }
  return ctx.signal.aborted ? 130 : 0;
}

export const logs = initBuiltin({
  name: 'logs',
  summary: "show a service's recent output (-f to follow)",
  usage: USAGE,
  run,
});
