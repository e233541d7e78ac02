// Which hosts a fleet run covers (`breakglass --hosts FILE|-`, or several HOSTs before
// `--`). A hosts-file line is a HOST (name, address or gokrazy instance) optionally
// followed by per-host flags, for devices whose web UI port, SSH port or password differ:
//   pi1
//   127.0.0.1 --name lab-a --http-port 8001 --ssh-port 2201 --password-file lab-a.pw
// Words are separated by white space (no quoting); `#` starts a comment. Relative file
// names are relative to the hosts file's directory. Pure: the caller reads the file.
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { UsageError, parseFlags } from '../common/index.js';
import type { FlagSpec } from '../common/index.js';

export interface HostOverrides {
  httpPort?: number;
  sshPort?: number;
  passwordFile?: string;
  service?: string;
  identity?: string;
}

export interface FleetHost {
  /** What the output calls it: the `host: ` prefix, JSON `host`, the --out file name. */
  name: string;
  /** What is connected to: HOST as for one device (gokrazy instance names work). */
  host: string;
  overrides: HostOverrides;
}

export const HOST_LINE_FLAGS: FlagSpec[] = [
  { name: 'name', kind: 'string', valueName: 'LABEL', help: 'what the output calls this host (default: HOST)' },
  { name: 'http-port', kind: 'string', valueName: 'PORT', help: 'web UI port of this host' },
  { name: 'ssh-port', kind: 'string', valueName: 'PORT', help: 'SSH port of this host' },
  { name: 'password-file', kind: 'string', valueName: 'FILE', help: 'web UI password file of this host' },
  { name: 'service', kind: 'string', valueName: 'PATH', help: 'SSH server service path on this host' },
  { name: 'identity', kind: 'string', valueName: 'FILE', aliases: ['-i'], help: 'private key for this host' },
];

const Port = z.coerce.number().int().min(1).max(65535);

/** `--FLAG PORT` → a port number, or a UsageError naming the flag. */
export function parsePortFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = Port.safeParse(value);
  if (!parsed.success) throw new UsageError(`--${flag}: ${JSON.stringify(value)} is not a port number (1-65535)`);
  return parsed.data;
}

function stripComment(line: string): string {
  const hash = line.search(/(^|\s)#/);
  return (hash === -1 ? line : line.slice(0, hash)).trim();
}

function hostLine(words: string[], baseDir: string): FleetHost {
  const [host, ...rest] = words as [string, ...string[]];
  if (host.startsWith('-')) throw new UsageError(`expected a HOST first, got ${JSON.stringify(host)}`);
  const { values, positionals } = parseFlags(rest, HOST_LINE_FLAGS);
  if (values.help) throw new UsageError('--help is not a per-host flag');
  if (positionals.length > 0) throw new UsageError(`one HOST per line, got also ${JSON.stringify(positionals[0])}`);
  const text = (name: string): string | undefined => (typeof values[name] === 'string' && values[name] !== '' ? (values[name] as string) : undefined);
  const file = (name: string): string | undefined => {
    const value = text(name);
    return value === undefined || isAbsolute(value) ? value : join(baseDir, value);
  };
  const overrides: HostOverrides = {};
  const httpPort = parsePortFlag('http-port', text('http-port'));
  const sshPort = parsePortFlag('ssh-port', text('ssh-port'));
  const passwordFile = file('password-file');
  const identity = file('identity');
  const service = text('service');
  if (service !== undefined && !service.startsWith('/')) throw new UsageError(`--service: expected a path such as /user/breakglass, got ${JSON.stringify(service)}`);
  if (httpPort !== undefined) overrides.httpPort = httpPort;
  if (sshPort !== undefined) overrides.sshPort = sshPort;
  if (passwordFile !== undefined) overrides.passwordFile = passwordFile;
  if (identity !== undefined) overrides.identity = identity;
  if (service !== undefined) overrides.service = service;
  return { name: text('name') ?? host, host, overrides };
}

/** The hosts file's lines → hosts; `source` names the file in errors (`fleet.txt:3: …`). */
export function parseHostsFile(text: string, source: string, baseDir: string): FleetHost[] {
  const hosts: FleetHost[] = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = stripComment(raw);
    if (line === '') continue;
    try {
      hosts.push(hostLine(line.split(/\s+/), baseDir));
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(`${source}:${index + 1}: ${err.message}`);
      throw err;
    }
  }
  return hosts;
}

/** Names must differ: they label the output and name the --out files. */
export function checkFleet(hosts: FleetHost[]): FleetHost[] {
  if (hosts.length === 0) throw new UsageError('no hosts: the hosts file lists none');
  const seen = new Set<string>();
  for (const { name } of hosts) {
    if (seen.has(name)) throw new UsageError(`host ${name} is listed twice (give one of them --name LABEL in the hosts file)`);
    seen.add(name);
  }
  return hosts;
}

/**
 * Fleet mode from the positionals: two or more words before a `--` are HOSTs
 * (`breakglass pi1 pi2 -- df -h`). One word before `--`, or none, is the single-host
 * form (`breakglass pi -- ls -l`), as before.
 */
export function splitHostArgs(positionals: string[]): { hosts: string[]; command: string[] } | undefined {
  const end = positionals.indexOf('--');
  if (end < 2) return undefined;
  return { hosts: positionals.slice(0, end), command: positionals.slice(end + 1) };
}

/** `--out DIR` file name for a host: its name with anything unsafe for a path replaced. */
export function outFileName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._@:+-]/g, '_');
  return safe === '.' || safe === '..' || safe === '' ? `_${safe}` : safe;
}
