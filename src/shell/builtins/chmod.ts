// chmod: octal or symbolic modes (`u+x,go-w`, `a=rX`), -R recursive. Symlinks met while
// recursing are skipped (their mode is meaningless); named ones are followed.
import { join } from 'node:path';
import type { BuiltinContext } from '../types.js';
import { BrokenPipe, write, errnoMessage, currentUmask, modeString, parseMode } from '../../os/index.js';
import { fail } from './io.js';
import { parseOptions } from '../options.js';
import { fileBuiltin, Aborted, UsageProblem, throwIfAborted } from './fs/index.js';
import type { ModeChange } from '../../os/index.js';

interface Job {
  change: ModeChange;
  recursive: boolean;
  verbose: boolean;
  quiet: boolean;
  ctx: BuiltinContext;
}

async function apply(path: string, shown: string, job: Job, top: boolean): Promise<number> {
  throwIfAborted(job.ctx.signal);
  let status = 0;
  try {
    const info = top ? await job.ctx.fs.stat(path) : await job.ctx.fs.lstat(path);
    if (info.isSymbolicLink()) return 0;
    const next = job.change(info.mode, info.isDirectory());
    if (next !== (info.mode & 0o7777)) await job.ctx.fs.chmod(path, next);
    if (job.verbose) await write(job.ctx.stdout, `mode of '${shown}' changed to ${next.toString(8).padStart(4, '0')} (${modeString((info.mode & ~0o7777) | next).slice(1)})\n`);
    if (job.recursive && info.isDirectory()) {
      for (const name of (await job.ctx.fs.readdir(path)).sort()) {
        status = Math.max(status, await apply(join(path, name), join(shown, name), job, false));
      }
    }
  } catch (err) {
    if (err instanceof BrokenPipe || err instanceof Aborted) throw err;
    const code = (err as { code?: string }).code;
    const verb = code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' ? 'cannot access' : 'changing permissions of';
    if (!job.quiet) await fail(job.ctx.stderr, 'chmod', `${verb} '${shown}': ${errnoMessage(err)}`);
    return 1;
  }
  return status;
}

/** `chmod -w f` would be read as the option -w: treat mode-looking words as operands. */
function splitModeWord(args: string[]): string[] {
  return args.map((a) => (/^-[rwxXst]+$/.test(a) && !/^-[Rvfc]+$/.test(a) ? `--mode-word=${a}` : a));
}

async function main(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(splitModeWord(args), {
    flags: 'Rvfc',
    long: { recursive: false, verbose: false, silent: false, quiet: false, changes: false, 'mode-word': true },
  });
  const modeWord = opts.get('mode-word');
  const operands = modeWord !== undefined ? [modeWord, ...opts.operands] : opts.operands;
  if (operands.length === 0) throw new UsageProblem('missing operand');
  const modeText = operands[0]!;
  if (operands.length === 1) throw new UsageProblem(`missing operand after '${modeText}'`);
  const change = parseMode(modeText, await currentUmask(ctx.services.procRoot));
  if (!change) throw new UsageProblem(`invalid mode: '${modeText}'`);
  const job: Job = {
    change,
    recursive: opts.has('R') || opts.has('recursive'),
    verbose: opts.has('v') || opts.has('verbose'),
    quiet: opts.has('f') || opts.has('silent') || opts.has('quiet'),
    ctx,
  };
  let status = 0;
  for (const operand of operands.slice(1)) status = Math.max(status, await apply(ctx.resolve(operand), operand, job, true));
  return status;
}

export const chmod = fileBuiltin({
  name: 'chmod',
  summary: 'change file mode bits',
  usage: `Usage: chmod [-Rvf] MODE FILE...
Change the mode of each FILE to MODE.

MODE is octal (755, 0644, 4755) or symbolic: [ugoa][-+=][rwxXst] clauses joined
by commas, e.g. u+x, go-w, a=rX, u=rw,go=r. Without u/g/o/a the umask limits
which bits + and = set.

  -R, --recursive   change directories and their contents (symlinks inside are skipped)
  -v, --verbose     say what was changed
  -f, --quiet       suppress most error messages`,
  main,
});
