// Arguments for the system OpenSSH client (ssh_config(5) option names). Pure: the
// caller decides which parts apply (pinning, connection sharing).
import { RESUME_ENV } from '../common/index.js';

export interface SshSettings {
  /** -F FILE (also `none`). */
  configFile?: string;
  /** -i FILE */
  identity?: string;
  /** Explicit port (--ssh-port); otherwise the user's ssh config or 22. */
  port?: number;
  /** Host-key pinning: a temporary known_hosts holding only the logged key. */
  pin?: { knownHostsFile: string; alias: string };
  /** Connection sharing (ControlMaster): one authentication for upload and session. */
  controlPath?: string;
  /**
   * Notice a dead link within ~15 s (ServerAliveInterval 5, CountMax 3) so a session that
   * can be reattached is, and send BREAKGLASS_RESUME (the client's claim on it).
   */
  resumable?: boolean;
  /** No prompts (fleet: many ssh at once, nobody to answer them); keys come from the agent or files. */
  batchMode?: boolean;
}

/** Options shared by ssh and scp (everything but the port flag). */
export function commonOptions(s: SshSettings): string[] {
  const args: string[] = [];
  if (s.configFile) args.push('-F', s.configFile);
  if (s.identity) args.push('-i', s.identity);
  if (s.pin) {
    args.push(
      '-o', `UserKnownHostsFile=${s.pin.knownHostsFile}`,
      '-o', 'GlobalKnownHostsFile=/dev/null',
      '-o', 'StrictHostKeyChecking=yes',
      // The alias makes ssh look up exactly our line, whatever HostName/port the config says.
      '-o', `HostKeyAlias=${s.pin.alias}`,
      '-o', 'CheckHostIP=no',
      '-o', 'UpdateHostKeys=no',
    );
  }
  if (s.batchMode) args.push('-o', 'BatchMode=yes');
  if (s.controlPath) {
    args.push('-o', 'ControlMaster=auto', '-o', `ControlPath=${s.controlPath}`, '-o', 'ControlPersist=15');
  }
  if (s.resumable) args.push('-o', 'ServerAliveInterval=5', '-o', 'ServerAliveCountMax=3', '-o', `SendEnv=${RESUME_ENV}`);
  return args;
}

/**
 * `ssh OPTIONS [EXTRA…] -- DESTINATION [COMMAND…]`; `--` keeps a command like `-x` from
 * being read as an option. EXTRA: per-call options such as `-t`.
 */
export function sshArgs(s: SshSettings, destination: string, command: string[] = [], extra: string[] = []): string[] {
  return [...commonOptions(s), ...(s.port ? ['-p', String(s.port)] : []), ...extra, '--', destination, ...command];
}

/** Legacy-protocol scp (`-O`) as gokrazy's client does against its Go server: `scp FILE HOST:`. */
export function scpArgs(s: SshSettings, file: string, destination: string): string[] {
  const host = destination.includes(':') && !destination.startsWith('[') ? `[${destination}]` : destination;
  return ['-O', '-q', ...commonOptions(s), ...(s.port ? ['-P', String(s.port)] : []), '--', file, `${host}:`];
}

/** Ends the shared connection (`ssh -O exit`). */
export function controlExitArgs(s: SshSettings, destination: string): string[] {
  return [...(s.configFile ? ['-F', s.configFile] : []), ...(s.port ? ['-p', String(s.port)] : []), '-o', `ControlPath=${s.controlPath}`, '-O', 'exit', '--', destination];
}

/** `ssh -G` prints the effective configuration; we need the host name and port. */
export function parseSshG(text: string): { hostname?: string; port?: number } {
  const out: { hostname?: string; port?: number } = {};
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/, 2);
    if (key === 'hostname' && value) out.hostname = value;
    if (key === 'port' && value && /^\d+$/.test(value)) out.port = Number(value);
  }
  return out;
}
