// The environment of a session's shell (like sshd's do_setup_env): the server's own
// variables (USER, HOME, SSH_CONNECTION …), TERM from the pty request, and what the
// client sent with `env` requests (RFC 4254 §6.4) when the policy below allows it.
// Keys with command= or restrict only pass LANG/LC_*: a forced command must not be
// steered by PATH, LD_PRELOAD or the like.

export const MAX_CLIENT_ENV = 64;
const MAX_ENV_VALUE = 8192;

/** Set by the server; the client cannot override them. */
const SERVER_OWNED = new Set(['USER', 'LOGNAME', 'HOME', 'SSH_CONNECTION', 'SSH_CLIENT', 'SSH_ORIGINAL_COMMAND', 'SSH_TTY', 'TERM']);

export function clientEnvAllowed(name: string, value: string, restricted: boolean): boolean {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || value.length > MAX_ENV_VALUE || value.includes('\0')) return false;
  if (SERVER_OWNED.has(name)) return false;
  if (restricted) return name === 'LANG' || name.startsWith('LC_');
  return true;
}

export interface EnvInputs {
  user: string;
  home: string;
  path: string | undefined;
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
  term?: string;
  clientEnv: Record<string, string>;
  originalCommand?: string;
}

export function buildSessionEnv(inputs: EnvInputs): Record<string, string> {
  const env: Record<string, string> = { ...inputs.clientEnv };
  env.USER = inputs.user;
  env.LOGNAME = inputs.user;
  env.HOME = inputs.home;
  if (inputs.path && env.PATH === undefined) env.PATH = inputs.path;
  env.SSH_CONNECTION = `${inputs.remoteAddress} ${inputs.remotePort} ${inputs.localAddress} ${inputs.localPort}`;
  env.SSH_CLIENT = `${inputs.remoteAddress} ${inputs.remotePort} ${inputs.localPort}`;
  if (inputs.term) env.TERM = inputs.term;
  if (inputs.originalCommand !== undefined) env.SSH_ORIGINAL_COMMAND = inputs.originalCommand;
  return env;
}
