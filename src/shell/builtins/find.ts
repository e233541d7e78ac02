// find: walk directory trees and print the paths an expression selects. Streams each
// path as it is found and stops on ^C. Expression grammar: fs/find-expr.ts.
import type { Stats } from 'node:fs';
import type { BuiltinContext } from '../types.js';
import { BrokenPipe, write, errnoMessage, loadIdNames } from '../../os/index.js';
import { fail } from './io.js';
import { fileBuiltin, Aborted, FindSyntaxError, parseFindExpression, walk } from './fs/index.js';
import type { FindActions, FindEntry } from './fs/index.js';

/** Leading operands up to the first token that starts an expression. */
function splitPaths(args: string[]): { follow: 'none' | 'top' | 'all'; paths: string[]; expression: string[] } {
  let i = 0;
  let follow: 'none' | 'top' | 'all' = 'none';
  for (; i < args.length && /^-[HLP]$/.test(args[i]!); i++) follow = args[i] === '-L' ? 'all' : args[i] === '-H' ? 'top' : 'none';
  const paths: string[] = [];
  for (; i < args.length; i++) {
    const a = args[i]!;
    if ((a.startsWith('-') && a !== '-') || a === '(' || a === '!') break;
    paths.push(a);
  }
  return { follow, paths, expression: args.slice(i) };
}

type ParsedFind = ReturnType<typeof parseFindExpression>;

/** The parsed expression with its -newer files stat'ed, or the exit code after an error. */
async function parseExpression(expression: string[], ctx: BuiltinContext): Promise<ParsedFind | number> {
  if (expression.includes('-follow')) throw new FindSyntaxError('use find -L instead of -follow');
  const newer = new Map<string, Stats>();
  try {
    const ids = expression.includes('-user') || expression.includes('-group') ? await loadIdNames('/etc', ctx.fs) : undefined;
    const parsed = parseFindExpression(expression, (file) => newer.get(file), (kind, name) => ids?.id?.(kind, name));
    for (const file of parsed.newerFiles) {
      try {
        newer.set(file, await ctx.fs.stat(ctx.resolve(file)));
      } catch (err) {
        return fail(ctx.stderr, 'find', `'${file}': ${errnoMessage(err)}`);
      }
    }
    return parsed;
  } catch (err) {
    if (err instanceof FindSyntaxError) return fail(ctx.stderr, 'find', err.message);
    throw err;
  }
}

/**
 * The actions of one find run and the state they change: the output (batched in 16 KiB
 * writes), the exit status, the pruned directories and -quit.
 */
class FindRun implements FindActions {
  status = 0;
  quitting = false;
  readonly now = Date.now();
  private readonly pruned = new WeakSet<FindEntry>();
  private out = '';

  constructor(private readonly ctx: BuiltinContext) {}

  async print(e: FindEntry, terminator: string): Promise<void> {
    this.out += `${e.shown}${terminator}`;
    if (this.out.length > 16 * 1024) await this.flush();
  }

  async remove(e: FindEntry): Promise<boolean> {
    if (e.depth === 0 && (e.shown === '.' || e.shown === '..')) return true;
    try {
      if (e.stats.isDirectory()) await this.ctx.fs.rmdir(e.path);
      else await this.ctx.fs.rm(e.path);
      return true;
    } catch (err) {
      this.status = await fail(this.ctx.stderr, 'find', `cannot delete '${e.shown}': ${errnoMessage(err)}`);
      return false;
    }
  }

  async isEmptyDir(e: FindEntry): Promise<boolean> {
    return (await this.ctx.fs.readdir(e.path).catch(() => ['?'])).length === 0;
  }

  prune(e: FindEntry): void {
    this.pruned.add(e);
  }

  isPruned(e: FindEntry): boolean {
    return this.pruned.has(e);
  }

  quit(): void {
    this.quitting = true;
  }

  /** A path that cannot be read: what was printed so far goes out first. */
  async walkError(shown: string, err: unknown): Promise<void> {
    await this.flush();
    this.status = await fail(this.ctx.stderr, 'find', `'${shown}': ${errnoMessage(err)}`);
  }

  async flush(): Promise<void> {
    if (this.out === '') return;
    const text = this.out;
    this.out = '';
    await write(this.ctx.stdout, text);
  }
}

/** Walks one root, evaluating the expression on each entry until the walk ends or -quit. */
async function findIn(root: string, parsed: ParsedFind, follow: 'none' | 'top' | 'all', run: FindRun, ctx: BuiltinContext): Promise<void> {
  const entries = walk(ctx.resolve(root), root, {
    fs: ctx.fs,
    signal: ctx.signal,
    follow,
    ...(parsed.maxDepth !== undefined ? { maxDepth: parsed.maxDepth } : {}),
    postOrder: parsed.postOrder,
    descend: (e) => !run.isPruned(e),
    onError: (shown, err) => run.walkError(shown, err),
  });
  for await (const entry of entries) {
    if (entry.depth < parsed.minDepth) continue;
    const selected = await parsed.predicate(entry, run);
    if (selected && !parsed.hasAction) await run.print(entry, '\n');
    if (run.quitting) return;
  }
}

async function main(args: string[], ctx: BuiltinContext): Promise<number> {
  const { follow, paths, expression } = splitPaths(args);
  const parsed = await parseExpression(expression, ctx);
  if (typeof parsed === 'number') return parsed;
  const run = new FindRun(ctx);
  for (const root of paths.length > 0 ? paths : ['.']) {
    await findIn(root, parsed, follow, run, ctx);
    if (run.quitting) break;
  }
  await run.flush();
  return run.status;
}

async function guardedMain(args: string[], ctx: BuiltinContext): Promise<number> {
  try {
    return await main(args, ctx);
  } catch (err) {
    if (err instanceof BrokenPipe || err instanceof Aborted) throw err;
    if (err instanceof FindSyntaxError) return fail(ctx.stderr, 'find', err.message);
    throw err;
  }
}

export const find = fileBuiltin({
  name: 'find',
  summary: 'search directory trees for files',
  usage: `Usage: find [-H|-L|-P] [PATH]... [EXPRESSION]
Walk each PATH (default .) and print the paths EXPRESSION selects (all by default).
Symbolic links are not followed unless -L (all) or -H (the PATHs only).

Tests:
  -name GLOB / -iname GLOB   base name matches GLOB (* ? [...]); -iname ignores case
  -path GLOB / -ipath GLOB   whole path matches GLOB
  -type T        f file, d directory, l symlink, p fifo, s socket, c/b device (T,T…)
  -size [+-]N[ckMGwb]  size in units rounded up (default b = 512 bytes; +N more, -N less)
  -mtime [+-]N   modified N days ago (-mmin: minutes)
  -newer FILE    modified more recently than FILE
  -empty         empty file or directory
  -perm MODE     mode is exactly MODE; -perm -MODE all of its bits; -perm /MODE any
                 (octal or symbolic: find / -perm -4000 lists setuid files)
  -user NAME / -group NAME   owned by that user / group (name or number)
Actions: -print (default), -print0, -delete, -prune, -quit
Options: -maxdepth N, -mindepth N, -depth (contents before the directory)
Operators: ! EXPR, -not, EXPR -a EXPR (or just juxtaposed), EXPR -o EXPR, ( EXPR )
-exec is not available in the built-in; use the toolbox's busybox find.`,
  main: guardedMain,
});
