// authorized_keys parsing (sshd(8) "AUTHORIZED_KEYS FILE FORMAT"): one key per line,
// `[options] keytype base64 [comment]`; options are comma separated, values in double
// quotes with `\"` for a quote. Pure: text in, keys and per-line warnings out. A bad
// line is skipped with a warning naming its number and never affects other lines.
import { isIP } from 'node:net';
import { parseSkBlob, SK_TYPES } from './sk-keys.js';
import type { SkPublicKey } from './sk-keys.js';
import { parseSshKey, USER_KEY_TYPES } from './ssh-keys.js';
import type { ParsedKey } from './ssh-keys.js';
import { blobKeyType, fingerprintOf } from './wire.js';

export interface PermitOpen {
  /** Literal host or address as written, or `*` for any host. */
  host: string;
  /** Port number, or undefined for `*` (any port). */
  port: number | undefined;
}

export interface KeyOptions {
  /** from="pattern-list": client address patterns (`*`, `?`, `!` negation, CIDR). */
  from?: string[];
  /** expiry-time=: the key stops working at this instant (ms since the epoch). */
  expiresAt?: number;
  /** command=: forced command replacing whatever the client asks to run. */
  command?: string;
  pty: boolean;
  portForwarding: boolean;
  /** permitopen=: allowed direct-tcpip targets; empty means no per-key limit. */
  permitOpen: PermitOpen[];
  /** True when the key has command= or restrict (limits client-supplied env). */
  restricted: boolean;
  /** Security keys: a touch is required unless no-touch-required. */
  touchRequired: boolean;
  /** Security keys: verify-required demands PIN/biometric verification. */
  verifyRequired: boolean;
  /** Options we do not implement; logged and ignored. */
  ignored: string[];
}

export interface AuthorizedKey {
  line: number;
  type: string;
  blob: Buffer;
  /** ssh2's parsed key, or our own for FIDO security keys (sk-*). */
  key: ParsedKey | SkPublicKey;
  fingerprint: string;
  comment: string;
  options: KeyOptions;
}

export interface LineWarning {
  line: number;
  message: string;
}

export interface ParsedAuthorizedKeys {
  keys: AuthorizedKey[];
  warnings: LineWarning[];
}

class LineError extends Error {}

interface RawOption {
  name: string;
  value: string | undefined;
}

/** Splits the options prefix; returns the options and the rest of the line. */
export function splitOptions(text: string): { options: RawOption[]; rest: string } {
  const options: RawOption[] = [];
  let i = 0;
  while (i < text.length) {
    const nameMatch = /^[A-Za-z0-9-]+/.exec(text.slice(i));
    if (!nameMatch) throw new LineError(`bad option syntax at ${JSON.stringify(text.slice(i, i + 20))}`);
    const name = nameMatch[0].toLowerCase();
    i += nameMatch[0].length;
    let value: string | undefined;
    if (text[i] === '=') {
      if (text[i + 1] !== '"') throw new LineError(`option ${name}= needs a double-quoted value`);
      i += 2;
      let out = '';
      for (;;) {
        if (i >= text.length) throw new LineError(`option ${name}= has no closing quote`);
        const c = text[i]!;
        if (c === '\\' && text[i + 1] === '"') {
          out += '"';
          i += 2;
          continue;
        }
        if (c === '"') {
          i++;
          break;
        }
        out += c;
        i++;
      }
      value = out;
    }
    options.push({ name, value });
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (i >= text.length || /\s/.test(text[i]!)) break;
    throw new LineError(`unexpected ${JSON.stringify(text[i])} after option ${name}`);
  }
  return { options, rest: text.slice(i).trim() };
}

/**
 * expiry-time="YYYYMMDD[HHMM[SS]][Z]": local time, or UTC with a trailing Z
 * (sshd(8)). Returns ms since the epoch.
 */
export function parseExpiryTime(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?(Z?)$/i.exec(text);
  if (!m) throw new LineError(`expiry-time="${text}" is not YYYYMMDD[HHMM[SS]][Z]`);
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [
    number, number, number, number, number, number,
  ];
  const utc = m[7] !== '';
  const date = utc
    ? new Date(Date.UTC(year, month - 1, day, hour, minute, second))
    : new Date(year, month - 1, day, hour, minute, second);
  if (date.getUTCFullYear() < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    throw new LineError(`expiry-time="${text}" is not a valid date`);
  }
  return date.getTime();
}

/** permitopen="host:port" with `[v6]:port`, and `*` for any port (or host). */
export function parsePermitOpen(text: string): PermitOpen {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d+|\*)$/.exec(text);
  if (!m) throw new LineError(`permitopen="${text}" is not host:port`);
  const host = (m[1] ?? m[2])!;
  const port = m[3] === '*' ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535)) throw new LineError(`permitopen="${text}": bad port`);
  return { host, port };
}

/** Validates a from= pattern list; CIDR entries must be well formed. */
export function parseFromPatterns(text: string): string[] {
  const patterns = text.split(',').map((p) => p.trim());
  if (patterns.some((p) => p === '' || p === '!')) throw new LineError(`from="${text}" has an empty pattern`);
  for (const p of patterns) {
    const bare = p.startsWith('!') ? p.slice(1) : p;
    if (!bare.includes('/')) continue;
    const [addr, bits] = bare.split('/') as [string, string];
    const family = isIP(addr);
    const max = family === 4 ? 32 : 128;
    if (family === 0 || !/^\d+$/.test(bits) || Number(bits) > max) throw new LineError(`from="${text}": bad CIDR ${bare}`);
  }
  return patterns;
}

const FLAG_OPTIONS: Record<string, (o: KeyOptions) => void> = {
  restrict: (o) => {
    o.pty = false;
    o.portForwarding = false;
    o.restricted = true;
  },
  'no-pty': (o) => void (o.pty = false),
  pty: (o) => void (o.pty = true),
  'no-port-forwarding': (o) => void (o.portForwarding = false),
  'port-forwarding': (o) => void (o.portForwarding = true),
  // We never offer agent or X11 forwarding or run a user rc: these are already true.
  'no-agent-forwarding': () => undefined,
  'no-x11-forwarding': () => undefined,
  'no-user-rc': () => undefined,
  'no-touch-required': (o) => void (o.touchRequired = false),
  'verify-required': (o) => void (o.verifyRequired = true),
};

const VALUE_OPTIONS: Record<string, (o: KeyOptions, value: string) => void> = {
  from: (o, value) => {
    if (o.from) throw new LineError('more than one from= option');
    o.from = parseFromPatterns(value);
  },
  'expiry-time': (o, value) => {
    const at = parseExpiryTime(value);
    o.expiresAt = o.expiresAt === undefined ? at : Math.min(o.expiresAt, at);
  },
  command: (o, value) => {
    if (o.command !== undefined) throw new LineError('more than one command= option');
    o.command = value;
    o.restricted = true;
  },
  permitopen: (o, value) => void o.permitOpen.push(parsePermitOpen(value)),
};

/** Every option we honour, as `breakglassd --help` lists them. */
export const HONOURED_KEY_OPTIONS: readonly string[] = [...Object.keys(VALUE_OPTIONS).map((name) => `${name}=`), ...Object.keys(FLAG_OPTIONS)];

export function defaultKeyOptions(): KeyOptions {
  return { pty: true, portForwarding: true, permitOpen: [], restricted: false, touchRequired: true, verifyRequired: false, ignored: [] };
}

function applyOptions(raw: RawOption[]): KeyOptions {
  const options = defaultKeyOptions();
  for (const { name, value } of raw) {
    // hasOwn: an option named like an Object.prototype member must not match it.
    const flag = Object.hasOwn(FLAG_OPTIONS, name) ? FLAG_OPTIONS[name] : undefined;
    const withValue = Object.hasOwn(VALUE_OPTIONS, name) ? VALUE_OPTIONS[name] : undefined;
    if (flag && value === undefined) flag(options);
    else if (withValue && value !== undefined) withValue(options, value);
    else if (flag || withValue) throw new LineError(value === undefined ? `option ${name} needs ="value"` : `option ${name} takes no value`);
    else options.ignored.push(name);
  }
  return options;
}

const KEY_TYPE_RE = /^(ssh-|ecdsa-|sk-)[\w@.-]+$/;

const SUPPORTED_TYPES = 'ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa, sk-ssh-ed25519@openssh.com or sk-ecdsa-sha2-nistp256@openssh.com';

function parseKeyPart(rest: string): { type: string; blob: Buffer; key: ParsedKey | SkPublicKey; comment: string } {
  const m = /^(\S+)\s+(\S+)(?:\s+(.*))?$/.exec(rest);
  if (!m) throw new LineError('expected "keytype base64-key [comment]"');
  const [, type, base64, comment] = m as unknown as [string, string, string, string | undefined];
  if (!USER_KEY_TYPES.has(type) && !SK_TYPES.has(type)) throw new LineError(`key type ${type} is not supported (use ${SUPPORTED_TYPES})`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new LineError('the key is not valid base64');
  const blob = Buffer.from(base64, 'base64');
  if (blobKeyType(blob) !== type) throw new LineError(`the key data is not a ${type} key`);
  const key = SK_TYPES.has(type) ? parseSkBlob(blob) : parseSshKey(`${type} ${base64}`);
  if (key instanceof Error) throw new LineError(`cannot parse the ${type} key (${key.message})`);
  return { type, blob, key, comment: (comment ?? '').trim() };
}

/** Parses one non-blank, non-comment line. Throws LineError. */
function parseLine(text: string, line: number): AuthorizedKey {
  const firstToken = /^\S+/.exec(text)![0];
  // Options never start like a key type (ssh-…, ecdsa-…, sk-…), so the first token decides.
  const hasOptions = !KEY_TYPE_RE.test(firstToken);
  const { options: raw, rest } = hasOptions ? splitOptions(text) : { options: [], rest: text };
  const options = applyOptions(raw);
  const { type, blob, key, comment } = parseKeyPart(rest);
  return { line, type, blob, key, fingerprint: fingerprintOf(blob), comment, options };
}

export function parseAuthorizedKeys(text: string): ParsedAuthorizedKeys {
  const keys: AuthorizedKey[] = [];
  const warnings: LineWarning[] = [];
  text.split('\n').forEach((rawLine, index) => {
    const line = index + 1;
    const trimmed = rawLine.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    try {
      const key = parseLine(trimmed, line);
      keys.push(key);
      if (key.options.ignored.length > 0) {
        warnings.push({ line, message: `options not supported, ignored: ${key.options.ignored.join(', ')}` });
      }
    } catch (err) {
      if (!(err instanceof LineError)) throw err;
      warnings.push({ line, message: `${err.message}; line skipped` });
    }
  });
  return { keys, warnings };
}
