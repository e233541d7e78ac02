// Entry point of `breakglass` (DESIGN.md "breakglass"): flags → options → runClient, or
// for several hosts (README "Fleet") → runFleetMain.
import { UsageError, messageOf, formatHelp, parseFlags, parseDuration } from '../common/index.js';
import type { FlagSpec, FlagValues } from '../common/index.js';
import { checkFleet, parsePortFlag, readHostsFile, runClient, runClientThenStop, runFleetMain, splitHostArgs } from '../client/index.js';
import type { ClientOptions, FleetHost, FleetMainOptions } from '../client/index.js';

const FLAGS: FlagSpec[] = [
  { name: 'debug-tarball-pattern', kind: 'string', valueName: 'PATTERN', aliases: ['-debug_tarball_pattern'],
    help: 'tarball to upload into the toolbox before the session; ${GOARCH} is replaced by the device architecture (e.g. ~/gokrazy/debug-${GOARCH}.tar)' },
  { name: 'force-restart', kind: 'boolean', aliases: ['-force_restart'], help: 'restart the SSH server even when it is already running' },
  { name: 'prepare-only', kind: 'boolean', aliases: ['-prepare_only'], help: 'start the server (and upload) but do not run ssh' },
  { name: 'proxy', kind: 'boolean', aliases: ['-proxy'], help: 'act as an ssh ProxyCommand: start the server, then connect stdin/stdout to its SSH port' },
  { name: 'ssh-config', kind: 'string', valueName: 'FILE', aliases: ['-F', '-ssh_config'], help: 'ssh configuration file, passed to ssh and scp as -F' },
  { name: 'identity', kind: 'string', valueName: 'FILE', aliases: ['-i'], help: 'private key file, passed to ssh and scp as -i' },
  { name: 'ssh-port', kind: 'string', valueName: 'PORT', help: 'SSH port of the device (default: from your ssh config, else 22)' },
  { name: 'http-port', kind: 'string', valueName: 'PORT', help: 'web UI port (default: Update.HTTPPort from ~/gokrazy/HOST/config.json, else http-port.txt, else 80)' },
  { name: 'password-file', kind: 'string', valueName: 'FILE', help: 'file holding the web UI password (default: gokrazy\'s config.json / http-password.txt lookup)' },
  { name: 'service', kind: 'string', valueName: 'PATH', default: '/user/breakglass', help: 'path of the SSH server service in the device config' },
  { name: 'timeout', kind: 'string', valueName: 'DURATION', default: '10s', help: 'how long to wait for the web UI and for the SSH server to come up (for each host on its own)' },
  { name: 'stop-after', kind: 'boolean', help: 'stop the SSH server through the web UI when done (close the glass)' },
  { name: 'hosts', kind: 'string', valueName: 'FILE', help: 'run COMMAND on every host in FILE (- reads stdin); a line is HOST [--name LABEL] [--http-port PORT] [--ssh-port PORT] [--password-file FILE] [--service PATH] [--identity FILE], # starts a comment, relative files are relative to FILE\'s directory' },
  { name: 'parallel', kind: 'string', valueName: 'N', help: 'several hosts: how many at a time (default: 8)' },
  { name: 'command-timeout', kind: 'string', valueName: 'DURATION', help: 'several hosts: end the command on a host after this long (default: no limit)' },
  { name: 'json', kind: 'boolean', help: 'several hosts: print one JSON object per host (host, status, exitCode, stdout, stderr, durationMs, error)' },
  { name: 'out', kind: 'string', valueName: 'DIR', help: 'several hosts: write each host\'s stdout to DIR/HOST (its stderr stays prefixed on ours)' },
  { name: 'new', kind: 'boolean', help: 'open a fresh shell even when one of your sessions waits detached on the device (by default it is reattached)' },
  { name: 'reconnect-timeout', kind: 'string', valueName: 'DURATION', default: '15m',
    help: 'when the connection of the interactive session drops, keep reconnecting and reattach it for this long (breakglassd keeps it --detach-timeout, default 15m); 0 never reconnects' },
];

const DESCRIPTION = [
  'Starts the SSH server of a breakglass-init or gokrazy device through its web UI, pins its',
  'host key to the one it logged, optionally uploads a debug tarball into its toolbox, and runs',
  'ssh (your ssh config, agent and keys apply). Exits with the remote command\'s status.',
  'Without COMMAND, on a terminal: reattaches your detached session if one waits (--new: a',
  'fresh shell), and reconnects by itself when the network drops, like mosh.',
  'HOST is a gokrazy instance name (~/gokrazy/HOST/config.json) or a host name or address.',
  '',
  'Several hosts: `breakglass [options] HOST HOST… -- COMMAND` or `breakglass --hosts FILE [options] COMMAND`',
  'runs COMMAND on each (at most --parallel at a time, ssh in batch mode: use your agent). Output',
  'lines are prefixed "HOST: " (or --json, or --out DIR); a summary goes to stderr. Exits 0 only',
  'when every host succeeded. On the command line a HOST is a name only; per-host ports and',
  'password files go in the hosts file (or in gokrazy\'s ~/gokrazy/HOST/config.json), not in a',
  'HOST:PORT form (which port? and IPv6 has colons). One HOST keeps its forms; for one host a',
  'COMMAND that contains -- goes after a first --: breakglass pi -- ls -- -la.',
].join('\n');

const USAGE = 'breakglass [options] HOST [COMMAND…] | HOST HOST… -- COMMAND | --hosts FILE COMMAND';

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const FLEET_ONLY = ['parallel', 'command-timeout', 'json', 'out'];
const DEFAULT_PARALLEL = 8;

type Parsed = { kind: 'help' } | { kind: 'one'; options: ClientOptions; stopAfter: boolean } | { kind: 'fleet'; hostsFile?: string; hosts: string[]; options: Omit<FleetMainOptions, 'hosts'> };

function parseClientArgs(argv: string[]): Parsed {
  const { values, positionals } = parseFlags(argv, FLAGS, { stopAtFirstPositional: true });
  if (values.help) return { kind: 'help' };
  const hostsFile = str(values.hosts);
  const several = hostsFile ? { hosts: [], command: positionals } : splitHostArgs(positionals);
  if (several) return parseFleetArgs(values, several.hosts, several.command, hostsFile);
  const fleetFlag = FLEET_ONLY.find((flag) => values[flag] !== undefined && values[flag] !== false);
  if (fleetFlag) throw new UsageError(`--${fleetFlag} is for several hosts (breakglass HOST HOST… -- COMMAND, or --hosts FILE COMMAND)`);
  const [host, ...command] = positionals;
  if (!host) throw new UsageError('missing HOST (usage: breakglass [options] HOST [COMMAND…])');
  const options = sharedOptions(values, command);
  if (values['stop-after'] === true && (options.proxy || options.prepareOnly)) throw new UsageError('--stop-after does not go with --proxy or --prepare-only');
  return { kind: 'one', options: { ...options, host }, stopAfter: values['stop-after'] === true };
}

function parseFleetArgs(values: FlagValues, hosts: string[], command: string[], hostsFile: string | undefined): Parsed {
  const bad = hosts.find((h) => h.startsWith('-'));
  if (bad) throw new UsageError(`${bad}: flags go before the first HOST`);
  const options = sharedOptions(values, command);
  if (options.proxy) throw new UsageError('--proxy is for one host (ssh runs it as a ProxyCommand)');
  if (command.length === 0 && !options.prepareOnly) throw new UsageError('several hosts need a COMMAND (breakglass HOST HOST… -- COMMAND, or --hosts FILE COMMAND)');
  if (options.prepareOnly && values['stop-after'] === true) throw new UsageError('--stop-after does not go with --prepare-only');
  if (values.json === true && str(values.out)) throw new UsageError('--json and --out: choose one');
  const parallel = values.parallel === undefined ? DEFAULT_PARALLEL : Number(values.parallel);
  if (!Number.isSafeInteger(parallel) || parallel < 1) throw new UsageError(`--parallel: expected a whole number of hosts, 1 or more, got ${JSON.stringify(values.parallel)}`);
  const limit = str(values['command-timeout']);
  const commandTimeoutMs = limit === undefined ? 0 : parseDuration(limit, '--command-timeout');
  const out = str(values.out);
  return {
    kind: 'fleet',
    ...(hostsFile ? { hostsFile } : {}),
    hosts,
    options: {
      base: options,
      parallel,
      ...(commandTimeoutMs > 0 ? { commandTimeoutMs } : {}),
      stopAfter: values['stop-after'] === true,
      output: values.json === true ? { kind: 'json' } : out ? { kind: 'out', dir: out } : { kind: 'text' },
    },
  };
}

/** Everything but the host: what one host and a fleet have in common. */
function sharedOptions(values: FlagValues, command: string[]): Omit<ClientOptions, 'host'> {
  const timeoutMs = parseDuration(String(values.timeout), '--timeout');
  if (timeoutMs <= 0) throw new UsageError('--timeout: must be more than 0');
  const reconnectTimeoutMs = parseDuration(String(values['reconnect-timeout']), '--reconnect-timeout');
  const options: Omit<ClientOptions, 'host'> = {
    newSession: values.new === true,
    reconnectTimeoutMs,
    command,
    service: String(values.service),
    forceRestart: values['force-restart'] === true,
    prepareOnly: values['prepare-only'] === true,
    proxy: values.proxy === true,
    timeoutMs,
  };
  if (!options.service.startsWith('/')) throw new UsageError(`--service: expected a path such as /user/breakglass, got ${JSON.stringify(options.service)}`);
  if (options.proxy && command.length > 0) throw new UsageError('--proxy takes no COMMAND (ssh runs it)');
  const sshPort = parsePortFlag('ssh-port', str(values['ssh-port']));
  const httpPort = parsePortFlag('http-port', str(values['http-port']));
  const extra = {
    sshConfig: str(values['ssh-config']),
    identity: str(values.identity),
    passwordFile: str(values['password-file']),
    debugTarballPattern: str(values['debug-tarball-pattern']),
    sshPort,
    httpPort,
  };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) (options as unknown as Record<string, unknown>)[key] = value;
  return options;
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseClientArgs(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(formatHelp(USAGE, DESCRIPTION, FLAGS));
    return 0;
  }
  if (parsed.kind === 'fleet') {
    const hosts: FleetHost[] = parsed.hostsFile ? await readHostsFile(parsed.hostsFile) : parsed.hosts.map((host) => ({ name: host, host, overrides: {} }));
    return runFleetMain({ ...parsed.options, hosts: checkFleet(hosts) });
  }
  const log = (line: string): void => void process.stderr.write(`breakglass: ${line}\n`);
  return parsed.stopAfter ? runClientThenStop(parsed.options, log) : runClient(parsed.options, log);
}

// A closed terminal (its window or tmux went away) fails our writes with EIO, some time
// after the write. Nobody is left to read them, and an unhandled stream error would end us
// before the cleanup: ssh -O exit, our temporary directory, --stop-after.
process.stderr.on('error', () => undefined);

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`breakglass: ${messageOf(err)}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
