// Entry point of `breakglass-init` (DESIGN.md "breakglass-init"): flags → config → run.
import { UsageError, messageOf, nameProcess, formatHelp, parseFlags } from '../common/index.js';
import type { FlagSpec } from '../common/index.js';
import { loadConfig, runInit } from '../init/index.js';

const FLAGS: FlagSpec[] = [
  {
    name: 'config',
    kind: 'string',
    valueName: 'FILE',
    help: 'JSON config: hostname, http {listen, port, passwordFile, socket}, services [{path, command, env, dontStart}]',
  },
];

const DESCRIPTION = [
  'Supervises the device services (each in its own process group; exit 0 or 125 ends',
  'supervision, other exits restart after 1 s with backoff) and serves the gokrazy-compatible',
  'web UI and HTTP API (basic auth, user gokrazy) on private addresses and a Unix socket.',
].join('\n');

async function main(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, FLAGS, { maxPositionals: 0 });
  if (values.help) {
    process.stdout.write(formatHelp('breakglass-init --config FILE', DESCRIPTION, FLAGS));
    return 0;
  }
  const file = values.config;
  if (typeof file !== 'string' || file === '') throw new UsageError('--config FILE is required (see --help)');
  const config = await loadConfig(file);
  return runInit(config);
}

nameProcess('breakglass-init');
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`breakglass-init: ${messageOf(err)}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
