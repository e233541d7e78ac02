// breakglassd's flags (DESIGN.md "breakglassd" table) and their typed, validated form.
// Flags are parsed by the shared GNU parser, then checked by hand; every problem is
// a UsageError (one line on stderr, exit 2) that names the flag.
import { parseListenSpec, UsageError, formatHelp, parseFlags, parseDuration, parseSize } from '../common/index.js';
import type { ListenSpec, FlagSpec, FlagValues } from '../common/index.js';
import { HONOURED_KEY_OPTIONS } from './authorized-keys.js';

export const FORWARD_MODES = ['off', 'loopback', 'private-network'] as const;
export type ForwardMode = (typeof FORWARD_MODES)[number];

export const DEFAULT_AUTHORIZED_KEYS = ['/perm/breakglass.authorized_keys', '/etc/breakglass.authorized_keys'];
export const DEFAULT_HOST_KEY = '/perm/breakglass.host_key';
export const DEFAULT_HOME = '/perm/home/breakglass';

export const FLAG_SPECS: FlagSpec[] = [
  { name: 'port', kind: 'string', aliases: ['-port'], valueName: 'N', default: '22', help: 'TCP port to listen on; 0 picks a free port' },
  {
    name: 'listen', kind: 'string', aliases: ['-listen'], valueName: 'LIST', default: 'private',
    help: 'comma list of addresses, or "private": every loopback, RFC 1918, ULA, link-local and 100.64/10 address of an up interface except uplink*, re-scanned every few seconds',
  },
  { name: 'allow-public', kind: 'boolean', help: 'accept a public or unspecified address (0.0.0.0, ::) in --listen' },
  {
    name: 'authorized-keys', kind: 'string', aliases: ['-authorized_keys'], valueName: 'PATH',
    default: DEFAULT_AUTHORIZED_KEYS.join(', then '),
    help: `OpenSSH authorized_keys file (options honoured: ${HONOURED_KEY_OPTIONS.join(', ')}; others are logged and ignored); re-read when it changes`,
  },
  {
    name: 'host-key', kind: 'string', aliases: ['-host_key'], valueName: 'PATH', default: DEFAULT_HOST_KEY,
    help: 'SSH host key; an ed25519 key is generated (mode 0600, written atomically) when the file is missing',
  },
  {
    name: 'toolbox-dir', kind: 'string', valueName: 'DIR', default: 'new dir /tmp/breakglass-XXXXXX',
    help: 'where uploaded tools live (first on PATH); should be on tmpfs',
  },
  { name: 'toolbox-quota', kind: 'string', valueName: 'SIZE', default: '500M', help: 'total bytes the toolbox may hold (e.g. 500M, 1G)' },
  { name: 'home', kind: 'string', valueName: 'DIR', default: DEFAULT_HOME, help: 'shell $HOME (history file); falls back to the toolbox dir when it cannot be created' },
  {
    name: 'forward', kind: 'string', aliases: ['-forward'], valueName: 'MODE', default: 'off',
    help: `which ssh -L / -W targets are allowed: ${FORWARD_MODES.join(', ')}`,
  },
  { name: 'login-grace-time', kind: 'string', valueName: 'DUR', default: '30s', help: 'unauthenticated connections are closed after this' },
  { name: 'max-startups', kind: 'string', valueName: 'N', default: '10', help: 'concurrent unauthenticated connections (and at most 3 per source address)' },
  { name: 'idle-exit', kind: 'string', valueName: 'DUR', default: '0', help: 'exit 0 after DUR with no open connection; 0 never exits' },
  {
    name: 'no-banner', kind: 'boolean', invertedAliases: ['-enable_banner'],
    help: 'do not print the banner (hostname, model, kernel, uptime, toolbox) before an interactive shell; gokrazy spells it -enable_banner=false (default: banner on)',
  },
  {
    name: 'detach-timeout', kind: 'string', valueName: 'DUR', default: '15m',
    help: 'when the connection of an interactive (pty) shell drops, the shell and its jobs keep running and wait this long for its key to reattach (ssh -t HOST attach [ID]); 0 ends them at once, as without detaching',
  },
  {
    name: 'max-detached', kind: 'string', valueName: 'N', default: '8',
    help: 'detached sessions kept at once; one more detaching ends the one that has waited longest',
  },
  {
    name: 'scrollback', kind: 'string', valueName: 'LINES', default: '200',
    help: 'lines of history above the screen each interactive session keeps for reattaching (about 12 bytes per column per line: 200 lines at 80 columns is ~200K)',
  },
  {
    name: 'record', kind: 'string', valueName: 'DIR',
    help: 'record every interactive (pty) session as an asciicast v2 file in DIR (mode 0600; play with asciinema play FILE); off by default',
  },
  { name: 'record-input', kind: 'boolean', help: 'with --record, also record what the user types (passwords typed at a prompt end up in the file)' },
  { name: 'record-max-size', kind: 'string', valueName: 'SIZE', default: '16M', help: 'with --record, one recording stops (with a marker) at this size' },
  { name: 'record-max-total', kind: 'string', valueName: 'SIZE', default: '256M', help: 'with --record, the oldest recordings in DIR are deleted to keep its .cast files under this total' },
  { name: 'log-format', kind: 'string', valueName: 'text|json', default: 'text', help: 'audit log format on stderr' },
  {
    name: 'start-on-boot', kind: 'boolean',
    help: 'run even when GOKRAZY_FIRST_START=1 (otherwise exit 125 at once: gokrazy starts the service on demand only)',
  },
];

export const USAGE = 'breakglassd [flags]';
export const DESCRIPTION =
  'breakglassd is an on-demand SSH server for shell-less appliances: public-key logins only, a built-in shell, ' +
  'toolbox uploads over sftp/scp, and ssh -L forwarding when allowed. It prints one line per listener: ' +
  '"breakglassd: listening on ADDR:PORT (host key SHA256:...)".';

export function helpText(): string {
  return formatHelp(USAGE, DESCRIPTION, FLAG_SPECS);
}

export interface DaemonConfig {
  port: number;
  listen: ListenSpec;
  /** Explicit path, or the default candidates in order. */
  authorizedKeys: { explicit: string } | { candidates: string[] };
  hostKey: string;
  /** undefined: a fresh mkdtemp dir. */
  toolboxDir: string | undefined;
  toolboxQuotaBytes: number;
  home: string;
  forward: ForwardMode;
  loginGraceMs: number;
  maxStartups: number;
  /** 0: never. */
  idleExitMs: number;
  banner: boolean;
  /** 0: detaching off. */
  detachTimeoutMs: number;
  maxDetached: number;
  scrollbackLines: number;
  /** --record: undefined when recording is off. */
  record: { dir: string; input: boolean; maxFileBytes: number; maxTotalBytes: number } | undefined;
  logFormat: 'text' | 'json';
  startOnBoot: boolean;
}

export type ParsedCommandLine = { help: true } | { help: false; config: DaemonConfig };

/** A string flag's value (parseFlags gives every string flag its default). */
function text(values: FlagValues, flag: string): string {
  const value = values[flag];
  if (typeof value !== 'string') throw new UsageError(`--${flag}: expected a value`);
  return value;
}

function nonEmpty(values: FlagValues, flag: string): string {
  const value = text(values, flag);
  if (value === '') throw new UsageError(`--${flag} must not be empty`);
  return value;
}

function optionalText(values: FlagValues, flag: string): string | undefined {
  return values[flag] === undefined ? undefined : text(values, flag);
}

function intIn(values: FlagValues, flag: string, min: number, max: number): number {
  const value = text(values, flag);
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  throw new UsageError(`--${flag}: ${JSON.stringify(value)} is not a number from ${min} to ${max}`);
}

function oneOf<T extends string>(values: FlagValues, flag: string, choices: readonly T[], message: string): T {
  const value = text(values, flag);
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(message);
  return value as T;
}

/**
 * Checks the flags in the order of FLAG_SPECS, so the first problem reported is the one
 * a reader of --help meets first. Hand-written, not zod: zod was a fifth of breakglassd's
 * bundle, and part of every cold start, for these two dozen checks (BENCHMARKS.md
 * analysis 9).
 */
function toConfig(values: FlagValues): DaemonConfig {
  const allowPublic = values['allow-public'] === true;
  const port = intIn(values, 'port', 0, 65535);
  const listen = parseListenSpec(text(values, 'listen'), allowPublic, '--listen');
  const authorizedKeys = optionalText(values, 'authorized-keys');
  const hostKey = nonEmpty(values, 'host-key');
  const toolboxDir = optionalText(values, 'toolbox-dir');
  const toolboxQuotaBytes = parseSize(text(values, 'toolbox-quota'), '--toolbox-quota');
  const home = nonEmpty(values, 'home');
  // gokrazy's -forward= (empty) means off.
  if (values.forward === '') values.forward = 'off';
  const forward = oneOf(values, 'forward', FORWARD_MODES, `--forward: expected one of ${FORWARD_MODES.join(', ')}`);
  const loginGraceMs = parseDuration(text(values, 'login-grace-time'), '--login-grace-time');
  const maxStartups = intIn(values, 'max-startups', 1, 10_000);
  const idleExitMs = parseDuration(text(values, 'idle-exit'), '--idle-exit');
  const detachTimeoutMs = parseDuration(text(values, 'detach-timeout'), '--detach-timeout');
  const maxDetached = intIn(values, 'max-detached', 0, 1000);
  const scrollbackLines = intIn(values, 'scrollback', 0, 100_000);
  const record = optionalText(values, 'record');
  if (record === '') throw new UsageError('--record must not be empty');
  const maxFileBytes = parseSize(text(values, 'record-max-size'), '--record-max-size');
  const maxTotalBytes = parseSize(text(values, 'record-max-total'), '--record-max-total');
  const logFormat = oneOf(values, 'log-format', ['text', 'json'] as const, '--log-format: expected text or json');
  return {
    port,
    listen,
    authorizedKeys: authorizedKeys === undefined ? { candidates: DEFAULT_AUTHORIZED_KEYS } : { explicit: authorizedKeys },
    hostKey,
    toolboxDir,
    toolboxQuotaBytes,
    home,
    forward,
    loginGraceMs,
    maxStartups,
    idleExitMs,
    banner: values['no-banner'] !== true,
    detachTimeoutMs,
    maxDetached,
    scrollbackLines,
    record: record === undefined ? undefined : { dir: record, input: values['record-input'] === true, maxFileBytes, maxTotalBytes },
    logFormat,
    startOnBoot: values['start-on-boot'] === true,
  };
}

/** Flags whose displayed default is prose, not a value: absent unless given. */
const PROSE_DEFAULTS = new Set(['authorized-keys', 'toolbox-dir']);

/** argv (without node and script) → typed config. Throws UsageError. */
export function parseCommandLine(argv: string[]): ParsedCommandLine {
  const { values } = parseFlags(argv, FLAG_SPECS, { maxPositionals: 0 });
  if (values.help === true) return { help: true };
  for (const name of PROSE_DEFAULTS) {
    const spec = FLAG_SPECS.find((s) => s.name === name)!;
    if (values[name] === spec.default) values[name] = undefined;
  }
  if (values['authorized-keys'] === '') throw new UsageError('--authorized-keys must not be empty');
  if (values['toolbox-dir'] === '') throw new UsageError('--toolbox-dir must not be empty');
  return { help: false, config: toConfig(values) };
}
