// Entry point of `breakglass` (DESIGN.md "breakglass"): flags → options → runClient.
import { z } from 'zod';
import { UsageError, messageOf } from '../common/errors.js';
import { formatHelp, parseFlags } from '../common/flags.js';
import type { FlagSpec } from '../common/flags.js';
import { parseDuration } from '../common/units.js';
import { runClient } from '../client/index.js';
import type { ClientOptions } from '../client/index.js';

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
  { name: 'timeout', kind: 'string', valueName: 'DURATION', default: '10s', help: 'how long to wait for the web UI and for the SSH server to come up' },
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
].join('\n');

const Port = z.coerce.number().int().min(1).max(65535);

function port(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Port.safeParse(value);
  if (!parsed.success) throw new UsageError(`--${flag}: ${JSON.stringify(value)} is not a port number (1-65535)`);
  return parsed.data;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function parseClientArgs(argv: string[]): ClientOptions | 'help' {
  const { values, positionals } = parseFlags(argv, FLAGS, { stopAtFirstPositional: true });
  if (values.help) return 'help';
  const [host, ...command] = positionals;
  if (!host) throw new UsageError('missing HOST (usage: breakglass [options] HOST [COMMAND…])');
  const timeoutMs = parseDuration(String(values.timeout), '--timeout');
  if (timeoutMs <= 0) throw new UsageError('--timeout: must be more than 0');
  const reconnectTimeoutMs = parseDuration(String(values['reconnect-timeout']), '--reconnect-timeout');
  const options: ClientOptions = {
    host,
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
  const sshPort = port('ssh-port', str(values['ssh-port']));
  const httpPort = port('http-port', str(values['http-port']));
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
  const options = parseClientArgs(argv);
  if (options === 'help') {
    process.stdout.write(formatHelp('breakglass [options] HOST [COMMAND…]', DESCRIPTION, FLAGS));
    return 0;
  }
  return runClient(options, (line) => process.stderr.write(`breakglass: ${line}\n`));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`breakglass: ${messageOf(err)}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
