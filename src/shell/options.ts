// getopt-style argument parsing for built-ins (the interpreter reports OptionError):
// clustered short switches (`-la`), short options with a value (`-n 5`, `-n5`), long
// switches and options (`--json`, `--max-depth=2`, `--max-depth 2`), `--` ends options.
// Built-ins with their own grammar (`find`, BSD-style `ps aux`) parse by hand.

export class OptionError extends Error {
  override name = 'OptionError';
}

export interface OptionSpec {
  /** Single-letter switches, e.g. `'laRh1'`. */
  flags?: string;
  /** Single-letter options that take a value, e.g. `'nc'`. */
  values?: string;
  /** Long names → whether they take a value: `{ json: false, 'max-depth': true }`. */
  long?: Record<string, boolean>;
  /** Stop at the first operand (for `time CMD -x`, `env VAR=1 CMD -x`). */
  stopAtOperand?: boolean;
}

export interface ParsedOptions {
  /** Switches seen (short letters and long names), `--help` included as `help`. */
  has(name: string): boolean;
  /** Last value given for an option (short letter or long name). */
  get(name: string): string | undefined;
  /** Every value given, in order (for repeatable options like `-e`). */
  all(name: string): string[];
  operands: string[];
}

export function parseOptions(args: readonly string[], spec: OptionSpec): ParsedOptions {
  const switches = new Set<string>();
  const values = new Map<string, string[]>();
  const operands: string[] = [];
  const flagLetters = spec.flags ?? '';
  const valueLetters = spec.values ?? '';
  const long: Record<string, boolean> = { help: false, ...spec.long };
  const addValue = (name: string, value: string): void => {
    values.set(name, [...(values.get(name) ?? []), value]);
  };

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if (!(name in long)) throw new OptionError(`unrecognized option '--${name}'`);
      if (!long[name]) {
        if (eq !== -1) throw new OptionError(`option '--${name}' doesn't allow an argument`);
        switches.add(name);
        continue;
      }
      if (eq !== -1) addValue(name, arg.slice(eq + 1));
      else if (i + 1 < args.length) addValue(name, args[++i]!);
      else throw new OptionError(`option '--${name}' requires an argument`);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j]!;
        if (valueLetters.includes(letter)) {
          const rest = arg.slice(j + 1);
          if (rest) addValue(letter, rest);
          else if (i + 1 < args.length) addValue(letter, args[++i]!);
          else throw new OptionError(`option requires an argument -- '${letter}'`);
          break;
        }
        if (!flagLetters.includes(letter)) throw new OptionError(`invalid option -- '${letter}'`);
        switches.add(letter);
      }
      continue;
    }
    operands.push(arg);
    if (spec.stopAtOperand) {
      operands.push(...args.slice(i + 1));
      break;
    }
  }
  return {
    has: (name) => switches.has(name),
    get: (name) => values.get(name)?.at(-1),
    all: (name) => values.get(name) ?? [],
    operands,
  };
}
