// grep: print lines matching a pattern. BRE by default, -E ERE, -F fixed strings, all
// translated to JavaScript RegExp (fs/regex.ts). Exit 0 when a line was selected, 1
// when none, 2 on error (GNU grep).
import type { BuiltinContext } from '../types.js';
import { BrokenPipe, write, errnoMessage } from '../../os/index.js';
import { fail } from './io.js';
import { parseOptions } from '../options.js';
import type { OptionSpec, ParsedOptions } from '../options.js';
import { bareColour, fileBuiltin, Aborted, UsageProblem, globToRegExp, isStdin, lineBatches, operandChunks, RegexSyntaxError, compileMatcher, walk } from './fs/index.js';

interface Settings {
  re: RegExp;
  invert: boolean;
  count: boolean;
  listMatching: boolean;
  listNonMatching: boolean;
  quiet: boolean;
  silent: boolean;
  lineNumbers: boolean;
  onlyMatching: boolean;
  withName: boolean;
  text: boolean;
  maxCount: number;
  /** -B / -A context lines. */
  before: number;
  after: number;
  /** Where the last printed line came from, for the `--` between context groups. */
  last?: { shown: string; lineNo: number };
  include: RegExp[];
  exclude: RegExp[];
  excludeDir: RegExp[];
  ctx: BuiltinContext;
}

interface Outcome {
  selected: boolean;
  error: boolean;
  /** -q found a line: stop everything. */
  done: boolean;
}

/** Marks the input binary as soon as a chunk holding NUL is read (GNU's test). */
function detectBinary(chunks: AsyncIterable<Buffer>, state: { binary: boolean }): AsyncGenerator<Buffer> {
  return (async function* () {
    for await (const chunk of chunks) {
      if (!state.binary && chunk.includes(0)) state.binary = true;
      yield chunk;
    }
  })();
}

/** Output lines queued for one write: a write(2) per line would cost a syscall each. */
class OutputBatch {
  private parts: Buffer[] = [];
  private bytes = 0;

  constructor(private readonly stdout: BuiltinContext['stdout']) {}

  push(part: Buffer): void {
    this.parts.push(part);
    this.bytes += part.length;
  }

  /** Writes once more than 32 KiB are queued. */
  async flushIfFull(): Promise<void> {
    if (this.bytes > 32 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const data = Buffer.concat(this.parts);
    this.parts = [];
    this.bytes = 0;
    await write(this.stdout, data);
  }
}

/** What one line did to the scan: go on, stop this input, or stop everything (-q). */
type Step = 'next' | 'stop' | 'quit';

/** The scan of one input: selected lines, their context, -m, and the -c/-l/-L line at its end. */
class InputSearch {
  private readonly ctx: BuiltinContext;
  private readonly out: OutputBatch;
  private readonly input = { binary: false };
  private readonly printsLines: boolean;
  private readonly withContext: boolean;
  private count = 0;
  private lineNo = 0;
  /** -B: the latest unselected lines not printed yet, at most `before`. */
  private before: Array<{ raw: Buffer; lineNo: number }> = [];
  /** -A: context lines still to print after the last selected line. */
  private afterLeft = 0;
  /** -m reached: only the trailing context is still printed (GNU). */
  private stopped = false;

  constructor(
    private readonly operand: string,
    private readonly shown: string,
    private readonly s: Settings,
  ) {
    this.ctx = s.ctx;
    this.out = new OutputBatch(s.ctx.stdout);
    this.printsLines = !s.count && !s.listMatching && !s.listNonMatching && !s.quiet;
    this.withContext = s.before > 0 || s.after > 0;
  }

  async run(): Promise<Outcome> {
    const batches = lineBatches(detectBinary(operandChunks(this.ctx, this.operand), this.input));
    scan: for await (const batch of batches) {
      for (const raw of batch) {
        const step = await this.line(raw);
        if (step === 'quit') return { selected: true, error: false, done: true };
        if (step === 'stop') break scan;
      }
    }
    return this.finish();
  }

  private async line(raw: Buffer): Promise<Step> {
    this.lineNo++;
    if (this.stopped) return this.trailingContext(raw);
    const hasNewline = raw[raw.length - 1] === 10;
    const text = raw.toString('utf8', 0, hasNewline ? raw.length - 1 : raw.length);
    this.s.re.lastIndex = 0;
    if (this.s.re.test(text) !== this.s.invert) return this.selected(raw, text);
    this.unselected(raw);
    return 'next';
  }

  private trailingContext(raw: Buffer): Step {
    if (this.afterLeft-- <= 0) return 'stop';
    this.printLine(raw, this.lineNo, '-');
    return 'next';
  }

  /** A line not selected: context after the last selected line, or kept for -B. */
  private unselected(raw: Buffer): void {
    if (!this.printsLines || this.s.onlyMatching) return;
    if (this.afterLeft > 0) {
      this.afterLeft--;
      this.printLine(raw, this.lineNo, '-');
    } else if (this.s.before > 0) {
      this.before.push({ raw, lineNo: this.lineNo });
      if (this.before.length > this.s.before) this.before.shift();
    }
  }

  private async selected(raw: Buffer, text: string): Promise<Step> {
    this.count++;
    if (this.s.quiet) return 'quit';
    if (this.s.listMatching || this.s.listNonMatching) return 'stop';
    if (this.printsLines) {
      if (this.input.binary && !this.s.text) {
        await this.out.flush();
        await fail(this.ctx.stderr, 'grep', `${this.shown}: binary file matches`);
        return 'stop';
      }
      if (this.s.onlyMatching) this.printMatches(text);
      else this.printWithContext(raw);
      await this.out.flushIfFull();
    }
    if (this.count < this.s.maxCount) return 'next';
    if (!this.printsLines || this.afterLeft === 0) return 'stop';
    this.stopped = true;
    return 'next';
  }

  /** -o: each non-empty match on a line of its own (nothing with -v). */
  private printMatches(text: string): void {
    if (this.s.invert) return;
    const global = new RegExp(this.s.re.source, `${this.s.re.flags}g`);
    for (const m of text.matchAll(global)) if (m[0] !== '') this.out.push(Buffer.from(`${this.prefix(':', this.lineNo)}${m[0]}\n`));
  }

  /** The -B lines kept, then the selected line; -A context follows it. */
  private printWithContext(raw: Buffer): void {
    for (const b of this.before) this.printLine(b.raw, b.lineNo, '-');
    this.before = [];
    this.printLine(raw, this.lineNo, ':');
    this.afterLeft = this.s.after;
  }

  private prefix(sep: string, n: number): string {
    return `${this.s.withName ? `${this.shown}${sep}` : ''}${this.s.lineNumbers ? `${n}${sep}` : ''}`;
  }

  /** Queues one output line; `sep` is ':' for a selected line, '-' for context. */
  private printLine(raw: Buffer, n: number, sep: string): void {
    const last = this.s.last;
    if (this.withContext && last && !(last.shown === this.shown && last.lineNo === n - 1)) this.out.push(Buffer.from('--\n'));
    this.s.last = { shown: this.shown, lineNo: n };
    this.out.push(Buffer.from(this.prefix(sep, n)));
    this.out.push(raw);
    if (raw[raw.length - 1] !== 10) this.out.push(Buffer.from('\n'));
  }

  private async finish(): Promise<Outcome> {
    await this.out.flush();
    const { s, shown, count } = this;
    if (s.count) await write(this.ctx.stdout, `${s.withName ? `${shown}:` : ''}${count}\n`);
    if (s.listMatching && count > 0) await write(this.ctx.stdout, `${shown}\n`);
    if (s.listNonMatching && count === 0) await write(this.ctx.stdout, `${shown}\n`);
    return { selected: s.listNonMatching ? count === 0 : count > 0, error: false, done: false };
  }
}

function searchInput(operand: string, shown: string, s: Settings): Promise<Outcome> {
  return new InputSearch(operand, shown, s).run();
}

const baseName = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

function wanted(name: string, s: Settings): boolean {
  if (s.include.length > 0 && !s.include.some((re) => re.test(name))) return false;
  return !s.exclude.some((re) => re.test(name));
}

async function searchOperand(operand: string, recursive: 'no' | 'r' | 'R', implicit: boolean, s: Settings): Promise<Outcome> {
  const ctx = s.ctx;
  const result: Outcome = { selected: false, error: false, done: false };
  const report = async (shown: string, err: unknown): Promise<void> => {
    result.error = true;
    if (!s.silent) await fail(ctx.stderr, 'grep', `${shown}: ${errnoMessage(err)}`);
  };
  const merge = (o: Outcome): boolean => {
    result.selected ||= o.selected;
    result.error ||= o.error;
    result.done ||= o.done;
    return result.done;
  };
  const tryInput = async (path: string, shown: string): Promise<Outcome> => {
    try {
      return await searchInput(path, shown, s);
    } catch (err) {
      if (err instanceof BrokenPipe || err instanceof Aborted) throw err;
      await report(shown, err);
      return { selected: false, error: true, done: false };
    }
  };
  if (recursive === 'no' || isStdin(operand)) {
    if (!isStdin(operand) && !wanted(baseName(operand), s)) return result;
    merge(await tryInput(operand, isStdin(operand) ? '(standard input)' : operand));
    return result;
  }
  const entries = walk(ctx.resolve(operand), operand, {
    fs: ctx.fs,
    signal: ctx.signal,
    follow: recursive === 'R' ? 'all' : 'top',
    descend: (e) => e.depth === 0 || !s.excludeDir.some((re) => re.test(baseName(e.shown))),
    onError: report,
  });
  for await (const entry of entries) {
    if (entry.stats.isDirectory() || entry.stats.isSymbolicLink()) continue;
    // Devices and FIFOs met while recursing are skipped (GNU -D skip for recursion).
    if (entry.depth > 0 && !entry.stats.isFile()) continue;
    if (!wanted(baseName(entry.shown), s)) continue;
    const shown = implicit && entry.shown.startsWith('./') ? entry.shown.slice(2) : entry.shown;
    if (merge(await tryInput(entry.path, shown))) break;
  }
  return result;
}

const OPTION_SPEC: OptionSpec = {
  flags: 'ivcnrREFGlLHhqswxoaIyU',
  values: 'efmABC',
  long: {
    'ignore-case': false, 'invert-match': false, count: false, 'line-number': false, recursive: false,
    'dereference-recursive': false, 'extended-regexp': false, 'fixed-strings': false, 'basic-regexp': false,
    'files-with-matches': false, 'files-without-match': false, 'with-filename': false, 'no-filename': false,
    quiet: false, silent: false, 'no-messages': false, 'word-regexp': false, 'line-regexp': false,
    'only-matching': false, text: false, regexp: true, file: true, 'max-count': true, include: true,
    exclude: true, 'exclude-dir': true, color: true, colour: true,
  },
};

/** -B and -A line counts (-C sets both), or the text of an invalid one. */
function contextOf(opts: ParsedOptions): { before: number; after: number } | string {
  for (const letter of ['A', 'B', 'C']) {
    const text = opts.get(letter);
    if (text !== undefined && !/^\d+$/.test(text)) return text;
  }
  const lines = (letter: string): number | undefined => (opts.get(letter) === undefined ? undefined : Number(opts.get(letter)));
  const both = lines('C');
  return { before: lines('B') ?? both ?? 0, after: lines('A') ?? both ?? 0 };
}

/**
 * The patterns (from -e, from -f files, else the first operand; one per line) and the
 * operands left, or the exit code when a -f file cannot be read.
 */
async function patternsOf(opts: ParsedOptions, ctx: BuiltinContext): Promise<{ patterns: string[]; operands: string[] } | number> {
  const operands = [...opts.operands];
  let patterns = [...opts.all('e'), ...opts.all('regexp')];
  const files = [...opts.all('f'), ...opts.all('file')];
  for (const file of files) {
    try {
      const text = file === '-' ? '' : await ctx.fs.readFile(ctx.resolve(file), 'utf8');
      patterns.push(...text.split('\n').filter((line, i, all) => i < all.length - 1 || line !== ''));
    } catch (err) {
      return fail(ctx.stderr, 'grep', `${file}: ${errnoMessage(err)}`, 2);
    }
  }
  if (patterns.length === 0 && files.length === 0) {
    const first = operands.shift();
    if (first === undefined) throw new UsageProblem('no pattern given (usage: grep [OPTION]... PATTERN [FILE]...)');
    patterns = [first];
  }
  return { patterns: patterns.flatMap((p) => p.split('\n')), operands };
}

function maxCountOf(opts: ParsedOptions): number {
  const text = opts.get('m') ?? opts.get('max-count');
  if (text !== undefined && !/^\d+$/.test(text)) throw new UsageProblem(`invalid max count: '${text}'`);
  return text === undefined ? Infinity : Number(text);
}

/** One RegExp for all the patterns (none: it matches nothing); throws RegexSyntaxError. */
function matcherOf(patterns: string[], opts: ParsedOptions): RegExp {
  if (patterns.length === 0) return /(?!)/u;
  return compileMatcher(patterns, {
    extended: opts.has('E') || opts.has('extended-regexp'),
    fixed: opts.has('F') || opts.has('fixed-strings'),
    ignoreCase: opts.has('i') || opts.has('y') || opts.has('ignore-case'),
    word: opts.has('w') || opts.has('word-regexp'),
    line: opts.has('x') || opts.has('line-regexp'),
  });
}

interface Search {
  re: RegExp;
  context: { before: number; after: number };
  maxCount: number;
  /** More than one input (or -r): lines are prefixed with their file name by default. */
  multiple: boolean;
}

function settingsOf(opts: ParsedOptions, search: Search, ctx: BuiltinContext): Settings {
  return {
    re: search.re,
    invert: opts.has('v') || opts.has('invert-match'),
    count: opts.has('c') || opts.has('count'),
    listMatching: opts.has('l') || opts.has('files-with-matches'),
    listNonMatching: opts.has('L') || opts.has('files-without-match'),
    quiet: opts.has('q') || opts.has('quiet') || opts.has('silent'),
    silent: opts.has('s') || opts.has('no-messages'),
    lineNumbers: opts.has('n') || opts.has('line-number'),
    onlyMatching: opts.has('o') || opts.has('only-matching'),
    withName: (search.multiple || opts.has('H') || opts.has('with-filename')) && !(opts.has('h') || opts.has('no-filename')),
    text: (opts.has('a') || opts.has('text')) && !opts.has('I'),
    maxCount: search.maxCount,
    before: search.context.before,
    after: search.context.after,
    include: opts.all('include').map((g) => globToRegExp(g)),
    exclude: opts.all('exclude').map((g) => globToRegExp(g)),
    excludeDir: opts.all('exclude-dir').map((g) => globToRegExp(g)),
    ctx,
  };
}

/** Searches every input; exit 0 when a line was selected, 1 when none, 2 on an error (not with -q and a match). */
async function searchAll(inputs: string[], recursive: 'no' | 'r' | 'R', implicit: boolean, s: Settings): Promise<number> {
  let selected = false;
  let error = false;
  for (const input of inputs) {
    const r = await searchOperand(input, recursive, implicit, s);
    selected ||= r.selected;
    error ||= r.error;
    if (r.done) return 0;
  }
  if (error && !(s.quiet && selected)) return 2;
  return selected ? 0 : 1;
}

async function main(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = parseOptions(bareColour(args), OPTION_SPEC);
  const context = contextOf(opts);
  if (typeof context === 'string') return fail(ctx.stderr, 'grep', `${context}: invalid context length argument`, 2);
  const found = await patternsOf(opts, ctx);
  if (typeof found === 'number') return found;
  const { patterns, operands } = found;
  const maxCount = maxCountOf(opts);
  // GNU grep: -m 0 selects nothing and reads nothing, whatever the other options.
  if (maxCount === 0) return 1;
  let re: RegExp;
  try {
    re = matcherOf(patterns, opts);
  } catch (err) {
    if (err instanceof RegexSyntaxError) return fail(ctx.stderr, 'grep', err.message, 2);
    throw err;
  }
  const recursive = opts.has('R') || opts.has('dereference-recursive') ? 'R' : opts.has('r') || opts.has('recursive') ? 'r' : 'no';
  const implicit = operands.length === 0 && recursive !== 'no';
  const inputs = operands.length > 0 ? operands : [recursive !== 'no' ? '.' : '-'];
  const s = settingsOf(opts, { re, context, maxCount, multiple: inputs.length > 1 || recursive !== 'no' }, ctx);
  return searchAll(inputs, recursive, implicit, s);
}

export const grep = fileBuiltin({
  name: 'grep',
  summary: 'print lines that match a pattern',
  usage: `Usage: grep [OPTION]... PATTERN [FILE]...
Search FILEs (standard input when none, or for -; the current directory with -r)
for lines matching PATTERN, a POSIX basic regular expression unless -E or -F.
Exit status: 0 a line was selected, 1 none was, 2 an error occurred.

  -E, --extended-regexp  PATTERN is an extended regular expression (ERE)
  -F, --fixed-strings    PATTERN is a set of fixed strings
  -e, --regexp=PATTERN   use PATTERN (repeatable)
  -f, --file=FILE        take patterns from FILE, one per line
  -i, --ignore-case      ignore case
  -w, --word-regexp      match whole words only
  -x, --line-regexp      match whole lines only
  -v, --invert-match     select non-matching lines
  -c, --count            print only a count of selected lines per file
  -l                     print only names of files with selected lines
  -L                     print only names of files without selected lines
  -m, --max-count=NUM    stop after NUM selected lines
  -n, --line-number      prefix each line with its line number
  -H / -h                always / never prefix lines with the file name
  -o, --only-matching    print only the matched parts
  -A N / -B N / -C N     print N lines of context after / before / around each
                         selected line; groups are separated by --
  -q, --quiet            print nothing; exit 0 on the first match
  -s, --no-messages      suppress messages about unreadable files
  -r, --recursive        search directories (symlinks inside are not followed)
  -R                     like -r, following all symlinks
      --include=GLOB     with -r, search only files whose name matches GLOB
      --exclude=GLOB     skip files whose name matches GLOB
      --exclude-dir=GLOB skip directories whose name matches GLOB
  -a, --text             treat binary files as text
A file holding NUL bytes is binary: a match prints "grep: FILE: binary file matches".`,
  usageCode: 2,
  main,
});
