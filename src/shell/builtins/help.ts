// help [NAME]: every built-in with its one-line summary, or one built-in's usage.
import type { Builtin } from '../types.js';
import { fail } from './io.js';
import { write } from '../../os/index.js';

/** The listing `help` prints: name column, then summary; aliases named. */
export function helpListing(list: readonly Builtin[], width = 80): string[] {
  const sorted = [...list].sort((a, b) => a.name.localeCompare(b.name));
  const names = sorted.map((b) => (b.aliases?.length ? `${b.name} (${b.aliases.join(', ')})` : b.name));
  const col = Math.min(Math.max(...names.map((n) => n.length), 0) + 2, 28);
  return sorted.map((b, i) => {
    const line = names[i]!.length >= col ? `${names[i]} ${b.summary}` : `${names[i]!.padEnd(col)}${b.summary}`;
    return line.length > width ? `${line.slice(0, width - 1)}…` : line;
  });
}

/** `help` over the registry `all()` returns (index.ts passes BUILTINS). */
export function helpBuiltin(all: () => readonly Builtin[]): Builtin {
  return {
    name: 'help',
    summary: 'list the built-in commands, or show one\'s usage',
    usage: 'Usage: help [COMMAND]\n\nList every built-in command with a one-line summary; with COMMAND show its usage.',
    async run(args, ctx) {
      if (args.length > 0) {
        let status = 0;
        for (const name of args) {
          const b = all().find((x) => x.name === name || x.aliases?.includes(name));
          if (!b) {
            status = await fail(ctx.stderr, 'help', `no built-in named '${name}' (programs on PATH have their own --help)`);
            continue;
          }
          await write(ctx.stdout, b.usage.endsWith('\n') ? b.usage : `${b.usage}\n`);
        }
        return status;
      }
      await write(ctx.stdout, 'Built-in commands (NAME --help for details; other programs run from PATH, toolbox first):\n\n');
      for (const line of helpListing(all(), ctx.isTTY ? ctx.terminal.cols : 200)) await write(ctx.stdout, `${line}\n`);
      await write(ctx.stdout, "\nNot supported: if/for/while/case, functions, $( ) — run the toolbox's sh for those.\n");
      return 0;
    },
  };
}
