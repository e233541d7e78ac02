// find's expression language, parsed into a tree of predicates (no I/O here except
// what a predicate does when evaluated). Grammar, from POSIX find(1):
//   expr := and ( (-o | -or) and )*      and := not ( [-a | -and] not )*
//   not  := (! | -not) not | '(' expr ')' | primary
import type { Stats } from 'node:fs';
import { globToRegExp } from './glob.js';
import { parseMode } from '../../../os/index.js';

export class FindSyntaxError extends Error {
  override name = 'FindSyntaxError';
}

export interface FindEntry {
  path: string;
  shown: string;
  depth: number;
  stats: Stats;
}

/** What evaluating a node may do besides answering true/false. */
export interface FindActions {
  print(entry: FindEntry, terminator: string): Promise<void>;
  remove(entry: FindEntry): Promise<boolean>;
  isEmptyDir(entry: FindEntry): Promise<boolean>;
  prune(entry: FindEntry): void;
  quit(): void;
  now: number;
}

export type Predicate = (entry: FindEntry, actions: FindActions) => boolean | Promise<boolean>;

export interface ParsedFind {
  predicate: Predicate;
  /** The expression prints (or deletes) itself; otherwise find adds -print. */
  hasAction: boolean;
  maxDepth?: number;
  minDepth: number;
  postOrder: boolean;
  /** -newer reference files, stat'ed by the caller before evaluation. */
  newerFiles: string[];
}

const TYPE_TEST: Record<string, (s: Stats) => boolean> = {
  f: (s) => s.isFile(),
  d: (s) => s.isDirectory(),
  l: (s) => s.isSymbolicLink(),
  p: (s) => s.isFIFO(),
  s: (s) => s.isSocket(),
  c: (s) => s.isCharacterDevice(),
  b: (s) => s.isBlockDevice(),
};

const SIZE_UNITS: Record<string, number> = { b: 512, c: 1, w: 2, k: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** `+N` / `-N` / `N` comparison against an integer. */
function numericTest(text: string, what: string): (value: number) => boolean {
  const m = /^([+-]?)(\d+)$/.exec(text);
  if (!m) throw new FindSyntaxError(`invalid argument '${text}' to '${what}'`);
  const n = Number(m[2]);
  return m[1] === '+' ? (v) => v > n : m[1] === '-' ? (v) => v < n : (v) => v === n;
}

/** GNU -size: the size is rounded up to whole units before comparing. */
export function sizeTest(text: string): (bytes: number) => boolean {
  const m = /^([+-]?\d+)([bcwkMG]?)$/.exec(text);
  if (!m) throw new FindSyntaxError(`invalid argument '${text}' to '-size'`);
  const unit = SIZE_UNITS[m[2] || 'b']!;
  const compare = numericTest(m[1]!, '-size');
  return (bytes) => compare(Math.ceil(bytes / unit));
}

const base = (shown: string): string => {
  const trimmed = shown.length > 1 ? shown.replace(/\/+$/, '') : shown;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) || trimmed;
};

/** `-perm MODE` (exactly), `-perm -MODE` (all these bits), `-perm /MODE` (any of them). */
export function permTest(text: string): (mode: number) => boolean {
  const kind = text[0] === '-' || text[0] === '/' ? text[0] : '=';
  const body = kind === '=' ? text : text.slice(1);
  // Symbolic modes apply to an empty mode with no umask, as GNU find does.
  const change = parseMode(body, 0);
  if (!change) throw new FindSyntaxError(`invalid mode '${text}'`);
  const want = change(0, false);
  if (kind === '-') return (mode) => (mode & want) === want;
  if (kind === '/') return (mode) => want === 0 || (mode & want) !== 0;
  return (mode) => (mode & 0o7777) === want;
}

/** Resolves `-user NAME|UID` / `-group NAME|GID` to a number. */
export type IdLookup = (kind: 'user' | 'group', name: string) => number | undefined;

/** The parser's state: the tokens, where it is, and what the primaries have set so far. */
class FindParser {
  pos = 0;
  readonly result: ParsedFind = { predicate: () => true, hasAction: false, minDepth: 0, postOrder: false, newerFiles: [] };

  constructor(
    readonly tokens: string[],
    readonly newerStats: (file: string) => Stats | undefined,
    readonly lookupId: IdLookup,
  ) {}

  peek(): string | undefined {
    return this.tokens[this.pos];
  }

  /** The argument of the primary `name`. */
  arg(name: string): string {
    const value = this.tokens[this.pos++];
    if (value === undefined) throw new FindSyntaxError(`missing argument to '${name}'`);
    return value;
  }

  orExpr(): Predicate {
    let left = this.andExpr();
    while (this.peek() === '-o' || this.peek() === '-or') {
      this.pos++;
      const l = left;
      const right = this.andExpr();
      left = async (e, a) => (await l(e, a)) || right(e, a);
    }
    return left;
  }

  andExpr(): Predicate {
    let left = this.notExpr();
    for (;;) {
      const t = this.peek();
      if (t === undefined || t === ')' || t === '-o' || t === '-or') return left;
      if (t === '-a' || t === '-and') this.pos++;
      const l = left;
      const right = this.notExpr();
      left = async (e, a) => (await l(e, a)) && right(e, a);
    }
  }

  notExpr(): Predicate {
    if (this.peek() === '!' || this.peek() === '-not') {
      this.pos++;
      const inner = this.notExpr();
      return async (e, a) => !(await inner(e, a));
    }
    return this.primary();
  }

  primary(): Predicate {
    const token = this.tokens[this.pos++];
    if (token === undefined) throw new FindSyntaxError('expected an expression');
    const parse = Object.hasOwn(PRIMARIES, token) ? PRIMARIES[token] : undefined;
    if (parse !== undefined) return parse(this, token);
    if (UNSUPPORTED.has(token)) {
      throw new FindSyntaxError(`${token} is not supported by the built-in find; use the toolbox's busybox find (\`busybox find ... ${token} ...\`)`);
    }
    throw new FindSyntaxError(token.startsWith('-') ? `unknown predicate '${token}'` : `paths must precede expression: '${token}'`);
  }
}

/** Parses one primary (its arguments follow at `p.pos`); `token` is the primary's name. */
type PrimaryParser = (p: FindParser, token: string) => Predicate;

const always: Predicate = () => true;

const group: PrimaryParser = (p) => {
  const inner = p.orExpr();
  if (p.tokens[p.pos++] !== ')') throw new FindSyntaxError("missing ')'");
  return inner;
};

const nameTest: PrimaryParser = (p, token) => {
  const re = globToRegExp(p.arg(token), token === '-iname');
  return (e) => re.test(base(e.shown));
};

const pathTest: PrimaryParser = (p, token) => {
  const re = globToRegExp(p.arg(token), token === '-ipath');
  return (e) => re.test(e.shown);
};

const typeTest: PrimaryParser = (p, token) => {
  const tests = p.arg(token).split(',').map((l) => {
    const t = TYPE_TEST[l];
    if (!t) throw new FindSyntaxError(`Unknown argument to -type: ${l}`);
    return t;
  });
  return (e) => tests.some((t) => t(e.stats));
};

const ageTest: PrimaryParser = (p, token) => {
  const test = numericTest(p.arg(token), token);
  const unit = token === '-mtime' ? 86_400_000 : 60_000;
  return (e, a) => test(Math.floor((a.now - e.stats.mtimeMs) / unit));
};

const newerTest: PrimaryParser = (p, token) => {
  const file = p.arg(token);
  p.result.newerFiles.push(file);
  return (e) => {
    const ref = p.newerStats(file);
    return ref !== undefined && e.stats.mtimeMs > ref.mtimeMs;
  };
};

const ownerTest: PrimaryParser = (p, token) => {
  const name = p.arg(token);
  const kind = token === '-user' ? 'user' : 'group';
  const id = /^\d+$/.test(name) ? Number(name) : p.lookupId(kind, name);
  if (id === undefined) throw new FindSyntaxError(`'${name}' is not the name of a known ${kind}`);
  return (e) => (kind === 'user' ? e.stats.uid : e.stats.gid) === id;
};

const printAction: PrimaryParser = (p, token) => {
  p.result.hasAction = true;
  const terminator = token === '-print' ? '\n' : '\0';
  return async (e, a) => {
    await a.print(e, terminator);
    return true;
  };
};

const deleteAction: PrimaryParser = (p) => {
  p.result.hasAction = true;
  p.result.postOrder = true;
  return (e, a) => a.remove(e);
};

const depthOption: PrimaryParser = (p, token) => {
  const text = p.arg(token);
  if (!/^\d+$/.test(text)) throw new FindSyntaxError(`Expected a positive decimal integer argument to ${token}, but got '${text}'`);
  if (token === '-maxdepth') p.result.maxDepth = Number(text);
  else p.result.minDepth = Number(text);
  return always;
};

const PRIMARIES: Record<string, PrimaryParser> = {
  '(': group,
  '-name': nameTest,
  '-iname': nameTest,
  '-path': pathTest,
  '-wholename': pathTest,
  '-ipath': pathTest,
  '-type': typeTest,
  '-size': (p, token) => {
    const test = sizeTest(p.arg(token));
    return (e) => test(e.stats.size);
  },
  '-mtime': ageTest,
  '-mmin': ageTest,
  '-newer': newerTest,
  '-perm': (p, token) => {
    const test = permTest(p.arg(token));
    return (e) => test(e.stats.mode);
  },
  '-user': ownerTest,
  '-group': ownerTest,
  '-empty': () => async (e, a) => (e.stats.isFile() ? e.stats.size === 0 : e.stats.isDirectory() ? a.isEmptyDir(e) : false),
  '-true': () => always,
  '-false': () => () => false,
  '-print': printAction,
  '-print0': printAction,
  '-delete': deleteAction,
  '-prune': () => (e, a) => {
    a.prune(e);
    return true;
  },
  '-quit': () => (_e, a) => {
    a.quit();
    return true;
  },
  '-maxdepth': depthOption,
  '-mindepth': depthOption,
  '-depth': (p) => {
    p.result.postOrder = true;
    return always;
  },
  '-xdev': () => always,
  '-mount': () => always,
  '-noleaf': () => always,
};

const UNSUPPORTED = new Set(['-exec', '-execdir', '-ok']);

export function parseFindExpression(
  tokens: string[],
  newerStats: (file: string) => Stats | undefined,
  lookupId: IdLookup = () => undefined,
): ParsedFind {
  const p = new FindParser(tokens, newerStats, lookupId);
  if (tokens.length > 0) {
    p.result.predicate = p.orExpr();
    if (p.pos < tokens.length) throw new FindSyntaxError(tokens[p.pos] === ')' ? "unexpected ')'" : `unexpected '${tokens[p.pos]}'`);
  }
  return p.result;
}
