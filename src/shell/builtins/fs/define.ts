// Shared shape of the file built-ins: usage text, the guarded frame (guard.ts) and the
// `NAME: PATH: message` error line.
import type { Builtin, BuiltinContext } from '../../types.js';
import { fail } from '../io.js';
import { write, errnoMessage } from '../../../os/index.js';
import { guarded } from './guard.js';

export interface FileBuiltinSpec {
  name: string;
  aliases?: string[];
  summary: string;
  usage: string;
  /** Exit status for a bad option: 1 (coreutils) or 2 (ls, grep). */
  usageCode?: number;
  main(args: string[], ctx: BuiltinContext): Promise<number>;
}

export function fileBuiltin(spec: FileBuiltinSpec): Builtin {
  const usage = spec.usage.endsWith('\n') ? spec.usage : `${spec.usage}\n`;
  return {
    name: spec.name,
    ...(spec.aliases ? { aliases: spec.aliases } : {}),
    summary: spec.summary,
    usage,
    run: (args, ctx) =>
      guarded(
        spec.name,
        ctx,
        async () => {
          // The interpreter answers a leading --help itself; GNU tools take it anywhere
          // among the options (`ls -l --help`), so look before any `--`.
          const end = args.indexOf('--');
          if ((end === -1 ? args : args.slice(0, end)).includes('--help')) {
            await write(ctx.stdout, usage);
            return 0;
          }
          return spec.main(args, ctx);
        },
        spec.usageCode ?? 1,
      ),
  };
}

/** `NAME: PATH: strerror` on stderr; returns `code`. */
export function reportPath(ctx: BuiltinContext, name: string, path: string, err: unknown, code = 1): Promise<number> {
  return fail(ctx.stderr, name, `${path}: ${errnoMessage(err)}`, code);
}

/** Numeric operand with an optional multiplier suffix (`10`, `2K`, `1M`, `512b`), as head/tail take. */
export function parseCount(text: string): number | undefined {
  const m = /^(\d+)(b|kB|K|k|KiB|MB|M|MiB|GB|G|GiB)?$/.exec(text);
  if (!m) return undefined;
  const mult: Record<string, number> = {
    b: 512, kB: 1000, K: 1024, k: 1024, KiB: 1024, MB: 1e6, M: 1024 ** 2, MiB: 1024 ** 2, GB: 1e9, G: 1024 ** 3, GiB: 1024 ** 3,
  };
  return Number(m[1]) * (m[2] ? mult[m[2]]! : 1);
}

/** A bare `--color` means `--color=auto` (parseOptions would take the next word as its value). */
export function bareColour(args: string[]): string[] {
  return args.map((a) => (a === '--color' || a === '--colour' ? `${a}=auto` : a));
}
