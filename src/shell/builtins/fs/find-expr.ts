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

export function parseFindExpression(
  tokens: string[],
  newerStats: (file: string) => Stats | undefined,
  lookupId: IdLookup = () => undefined,
): ParsedFind {
  let pos = 0;
  const result: ParsedFind = { predicate: () => true, hasAction: false, minDepth: 0, postOrder: false, newerFiles: [] };
  const peek = (): string | undefined => tokens[pos];
  const arg = (name: string): string => {
    const value = tokens[pos++];
    if (value === undefined) throw new FindSyntaxError(`missing argument to '${name}'`);
    return value;
  };

  const primary = (): Predicate => {
    const token = tokens[pos++];
    if (token === undefined) throw new FindSyntaxError('expected an expression');
    switch (token) {
      case '(': {
        const inner = orExpr();
        if (tokens[pos++] !== ')') throw new FindSyntaxError("missing ')'");
        return inner;
      }
      case '-name':
      case '-iname': {
        const re = globToRegExp(arg(token), token === '-iname');
        return (e) => re.test(base(e.shown));
      }
      case '-path':
      case '-wholename':
      case '-ipath': {
        const re = globToRegExp(arg(token), token === '-ipath');
        return (e) => re.test(e.shown);
      }
      case '-type': {
        const letters = arg(token).split(',');
        const tests = letters.map((l) => {
          const t = TYPE_TEST[l];
          if (!t) throw new FindSyntaxError(`Unknown argument to -type: ${l}`);
          return t;
        });
        return (e) => tests.some((t) => t(e.stats));
      }
      case '-size': {
        const test = sizeTest(arg(token));
        return (e) => test(e.stats.size);
      }
      case '-mtime':
      case '-mmin': {
        const test = numericTest(arg(token), token);
        const unit = token === '-mtime' ? 86_400_000 : 60_000;
        return (e, a) => test(Math.floor((a.now - e.stats.mtimeMs) / unit));
      }
      case '-newer': {
        const file = arg(token);
        result.newerFiles.push(file);
        return (e) => {
          const ref = newerStats(file);
          return ref !== undefined && e.stats.mtimeMs > ref.mtimeMs;
        };
      }
      case '-perm': {
        const test = permTest(arg(token));
        return (e) => test(e.stats.mode);
      }
      case '-user':
      case '-group': {
        const name = arg(token);
        const kind = token === '-user' ? 'user' : 'group';
        const id = /^\d+$/.test(name) ? Number(name) : lookupId(kind, name);
        if (id === undefined) throw new FindSyntaxError(`'${name}' is not the name of a known ${kind}`);
        return (e) => (kind === 'user' ? e.stats.uid : e.stats.gid) === id;
      }
      case '-empty':
        return async (e, a) => (e.stats.isFile() ? e.stats.size === 0 : e.stats.isDirectory() ? a.isEmptyDir(e) : false);
      case '-true':
        return () => true;
      case '-false':
        return () => false;
      case '-print':
      case '-print0': {
        result.hasAction = true;
        const terminator = token === '-print' ? '\n' : '\0';
        return async (e, a) => {
          await a.print(e, terminator);
          return true;
        };
      }
      case '-delete':
        result.hasAction = true;
        result.postOrder = true;
        return (e, a) => a.remove(e);
      case '-prune':
        return (e, a) => {
          a.prune(e);
          return true;
        };
      case '-quit':
        return (_e, a) => {
          a.quit();
          return true;
        };
      case '-maxdepth':
      case '-mindepth': {
        const text = arg(token);
        if (!/^\d+$/.test(text)) throw new FindSyntaxError(`Expected a positive decimal integer argument to ${token}, but got '${text}'`);
        if (token === '-maxdepth') result.maxDepth = Number(text);
        else result.minDepth = Number(text);
        return () => true;
      }
      case '-depth':
        result.postOrder = true;
        return () => true;
      case '-xdev':
      case '-mount':
      case '-noleaf':
        return () => true;
      case '-exec':
      case '-execdir':
      case '-ok':
        throw new FindSyntaxError(`${token} is not supported by the built-in find; use the toolbox's busybox find (\`busybox find ... ${token} ...\`)`);
      default:
        throw new FindSyntaxError(token.startsWith('-') ? `unknown predicate '${token}'` : `paths must precede expression: '${token}'`);
    }
  };

  const notExpr = (): Predicate => {
    if (peek() === '!' || peek() === '-not') {
      pos++;
      const inner = notExpr();
      return async (e, a) => !(await inner(e, a));
    }
    return primary();
  };

  const andExpr = (): Predicate => {
    let left = notExpr();
    for (;;) {
      const t = peek();
      if (t === undefined || t === ')' || t === '-o' || t === '-or') return left;
      if (t === '-a' || t === '-and') pos++;
      const l = left;
      const right = notExpr();
      left = async (e, a) => (await l(e, a)) && right(e, a);
    }
  };

  const orExpr = (): Predicate => {
    let left = andExpr();
    while (peek() === '-o' || peek() === '-or') {
      pos++;
      const l = left;
      const right = andExpr();
      left = async (e, a) => (await l(e, a)) || right(e, a);
    }
    return left;
  };

  if (tokens.length > 0) {
    result.predicate = orExpr();
    if (pos < tokens.length) throw new FindSyntaxError(tokens[pos] === ')' ? "unexpected ')'" : `unexpected '${tokens[pos]}'`);
  }
  return result;
}
