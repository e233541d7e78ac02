// GNU-style flag parsing shared by the four programs (DESIGN.md "The four programs"):
// `--flag value`, `--flag=value`, boolean `--flag` / `--flag=false`, short `-i FILE`,
// and gokrazy's single-dash Go spellings (`-authorized_keys=x`, `-enable_banner=false`)
// declared as aliases. Values come out as strings/booleans; each program validates and
// types them with zod.
import { UsageError } from './errors.js';

export interface FlagSpec {
  /** Long name without dashes, e.g. `port`. */
  name: string;
  /** `string` takes a value; `boolean` is a switch; `list` may repeat. */
  kind: 'string' | 'boolean' | 'list';
  /** Other spellings, written as typed: `-p`, `-authorized_keys`, `--identity`. */
  aliases?: string[];
  /** For boolean aliases whose meaning is inverted (`-enable_banner=false` = `--no-banner`). */
  invertedAliases?: string[];
  /** Shown in --help as `--name VALUE`. */
  valueName?: string;
  default?: string;
  help: string;
}

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export interface ParsedArgs {
  values: FlagValues;
  positionals: string[];
}

export interface ParseOptions {
  /** Stop flag parsing at the first positional (for `breakglass HOST COMMAND…`). */
  stopAtFirstPositional?: boolean;
  /** Maximum positionals accepted; more is a usage error. */
  maxPositionals?: number;
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

function parseBool(flag: string, raw: string): boolean {
  const word = raw.toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new UsageError(`${flag}: expected true or false, got ${JSON.stringify(raw)}`);
}

interface Lookup {
  spec: FlagSpec;
  inverted: boolean;
}

function buildLookup(specs: FlagSpec[]): Map<string, Lookup> {
  const map = new Map<string, Lookup>();
  for (const spec of specs) {
    map.set(`--${spec.name}`, { spec, inverted: false });
    for (const alias of spec.aliases ?? []) map.set(alias, { spec, inverted: false });
    for (const alias of spec.invertedAliases ?? []) map.set(alias, { spec, inverted: true });
  }
  return map;
}

/** Parses argv (without node and script). Throws UsageError on anything unknown. */
export function parseFlags(argv: string[], specs: FlagSpec[], options: ParseOptions = {}): ParsedArgs {
  const lookup = buildLookup(specs);
  const values: FlagValues = {};
  for (const spec of specs) {
    if (spec.kind === 'boolean') values[spec.name] = spec.default === 'true';
    else if (spec.kind === 'list') values[spec.name] = [];
    else values[spec.name] = spec.default;
  }
  const positionals: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (options.stopAtFirstPositional) {
        positionals.push(...argv.slice(i));
        break;
      }
      positionals.push(arg);
      continue;
    }
    if (arg === '--help' || arg === '-help' || arg === '-h') {
      values.help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const found = lookup.get(flag) ?? negatedBoolean(flag, lookup);
    if (!found) throw new UsageError(`unknown flag ${flag} (see --help)`);
    const { spec, inverted } = found;
    if (spec.kind === 'boolean') {
      const value = inline === undefined ? true : parseBool(flag, inline);
      values[spec.name] = inverted ? !value : value;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value${spec.valueName ? ` (${spec.valueName})` : ''}`);
      value = argv[++i]!;
    }
    if (spec.kind === 'list') (values[spec.name] as string[]).push(value);
    else values[spec.name] = value;
  }
  if (options.maxPositionals !== undefined && positionals.length > options.maxPositionals) {
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[options.maxPositionals])} (see --help)`);
  }
  return { values, positionals };
}

/** `--no-banner` style negation of a boolean `--banner`, when no spec claims the name itself. */
function negatedBoolean(flag: string, lookup: Map<string, Lookup>): Lookup | undefined {
  if (!flag.startsWith('--no-')) return undefined;
  const base = lookup.get(`--${flag.slice(5)}`);
  if (!base || base.spec.kind !== 'boolean') return undefined;
  return { spec: base.spec, inverted: !base.inverted };
}

/** Renders the --help text: every flag with its value, default and help. */
export function formatHelp(usage: string, description: string, specs: FlagSpec[]): string {
  const lines = [`usage: ${usage}`, '', description, '', 'flags:'];
  for (const spec of specs) {
    const spelled = spec.kind === 'boolean' ? `--${spec.name}` : `--${spec.name} ${spec.valueName ?? 'VALUE'}`;
    const aliases = [...(spec.aliases ?? []), ...(spec.invertedAliases ?? [])];
    lines.push(`  ${spelled}${aliases.length ? `  (also ${aliases.join(', ')})` : ''}`);
    const def = spec.default !== undefined ? ` (default: ${spec.default})` : '';
    lines.push(`      ${spec.help}${def}`);
  }
  lines.push('  --help', '      show this help and exit');
  return `${lines.join('\n')}\n`;
}
