// `logs SERVICE`: the service's recent lines as breakglass-init keeps them, stdout and
// stderr merged in arrival order with a marker (a server such as breakglassd logs to
// stderr only), or one stream unmarked; `-f` keeps following until ^C. Reads /log over
// the init's Unix socket.
import type { BuiltinContext } from '../types.js';
import { resolveServicePath } from '../../webui/index.js';
import { initBuiltin, initClient } from './init-client.js';
import { fail } from './io.js';
import { write } from '../../os/index.js';
import { parseOptions } from '../options.js';

const USAGE = `usage: logs [-f] [-o|-e|--stream stdout|stderr|both] SERVICE
Prints the last lines (up to 100 per stream) SERVICE wrote, stdout and stderr
merged in the order they came, each marked [out] or [err]. -o (--stream stdout)
or -e (--stream stderr) shows one stream, unmarked. -f follows new lines until ^C.
SERVICE is a path such as /user/breakglass, or its last element (breakglass).
`;

async function run(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(args, { flags: 'feo', long: { follow: false, stream: true } });
  if (opts.has('help')) {
    await write(ctx.stdout, USAGE);
    return 0;
  }
  const stream = opts.get('stream') ?? (opts.has('e') ? 'stderr' : opts.has('o') ? 'stdout' : 'both');
  if (stream !== 'stdout' && stream !== 'stderr' && stream !== 'both') {
    return fail(ctx.stderr, 'logs', `--stream: expected stdout, stderr or both, got ${stream}`, 2);
  }
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
