// POSIX regular expressions (grep's BRE default and -E ERE, with the GNU extensions
// \< \> \b \B \w \W \s \S \+ \? \|) translated to JavaScript RegExp source. Pure.
// Reference: POSIX.1-2017 XBD 9 (Regular Expressions), GNU grep manual "Regular
// Expressions".

export class RegexSyntaxError extends Error {
  override name = 'RegexSyntaxError';
}

/** Characters that must be escaped to be literal in a JS `u`-mode pattern. */
const JS_SPECIAL = new Set('^$\\.*+?()[]{}|/');

const lit = (c: string): string => (JS_SPECIAL.has(c) ? `\\${c}` : c);

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: '0-9a-zA-Z',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  print: ' -~',
  graph: '!-~',
  cntrl: '\\x00-\\x1f\\x7f',
  xdigit: '0-9A-Fa-f',
};

/** Translates `[...]` starting at pattern[i] ('['); returns the JS class and next index. */
function bracket(pattern: string, start: number): [string, number] {
  let i = start + 1;
  let out = '[';
  if (pattern[i] === '^') {
    out += '^';
    i++;
  }
  let first = true;
  for (;;) {
    if (i >= pattern.length) throw new RegexSyntaxError('Unmatched [, [^, [:, [., or [=');
    const c = pattern[i]!;
    if (c === ']' && !first) return [`${out}]`, i + 1];
    first = false;
    if (c === '[' && (pattern[i + 1] === ':' || pattern[i + 1] === '=' || pattern[i + 1] === '.')) {
      const kind = pattern[i + 1]!;
      const end = pattern.indexOf(`${kind}]`, i + 2);
      if (end === -1) throw new RegexSyntaxError('Unmatched [, [^, [:, [., or [=');
      const word = pattern.slice(i + 2, end);
      if (kind === ':') {
        const cls = CLASSES[word];
        if (cls === undefined) throw new RegexSyntaxError('Invalid character class name');
        out += cls;
      } else {
        out += [...word].map((ch) => (/[\\\]\[^-]/.test(ch) ? `\\${ch}` : ch)).join('');
      }
      i = end + 2;
      continue;
    }
    // Inside brackets a backslash is literal (POSIX); `-` keeps its range meaning.
    if (c === '\\' || c === '[' || c === ']' || c === '^' || c === '/') out += `\\${c}`;
    else if (c === '-') out += i === start + 1 || pattern[i + 1] === ']' ? '\\-' : '-';
    else out += c;
    i++;
  }
}

/** `{m}`, `{m,}`, `{m,n}`, `{,n}` body at pattern[i..]; returns [jsQuantifier, nextIndex] or undefined. */
function interval(pattern: string, i: number, close: string): [string, number] | undefined {
  const end = pattern.indexOf(close, i);
  if (end === -1) return undefined;
  const m = /^(\d*)(,(\d*))?$/.exec(pattern.slice(i, end));
  if (!m || (m[1] === '' && m[2] === undefined)) return undefined;
  const min = m[1] === '' ? '0' : m[1]!;
  if (m[3] !== undefined && m[3] !== '' && Number(m[3]) < Number(min)) throw new RegexSyntaxError('Invalid content of \\{\\}');
  return [`{${min}${m[2] !== undefined ? `,${m[3]}` : ''}}`, end + close.length];
}

/** Where posixToJs is in the pattern and what it has written; `i` is past the token being handled. */
interface Translation {
  readonly pattern: string;
  readonly extended: boolean;
  i: number;
  out: string;
  depth: number;
  groups: number;
  /** Where a `*` is literal: at the start of the RE or of a group / alternative, or after `^`. */
  atStart: boolean;
}

type TokenHandler = (t: Translation, token: string) => void;

/** Appends `text` after which a quantifier applies. */
function emit(t: Translation, text: string): void {
  t.out += text;
  t.atStart = false;
}

const openGroup: TokenHandler = (t) => {
  t.out += '(';
  t.depth++;
  t.groups++;
  t.atStart = true;
};

const closeGroup: TokenHandler = (t) => {
  if (t.depth === 0) throw new RegexSyntaxError('Unmatched ) or \\)');
  t.depth--;
  emit(t, ')');
};

const alternative: TokenHandler = (t) => {
  t.out += '|';
  t.atStart = true;
};

/** `+` / `?`: literal where nothing precedes them. */
const repeat: TokenHandler = (t, op) => emit(t, t.atStart ? `\\${op}` : op);

/** The grouping and repetition operators: ERE spells them plain, BRE (GNU) with a backslash. */
const OPERATORS: Record<string, TokenHandler> = { '(': openGroup, ')': closeGroup, '|': alternative, '+': repeat, '?': repeat };

/** BRE `\{m,n\}`: an error when unclosed or with nothing to repeat. */
const breInterval: TokenHandler = (t) => {
  const q = interval(t.pattern, t.i, '\\}');
  if (!q) throw new RegexSyntaxError('Unmatched \\{');
  if (t.atStart) throw new RegexSyntaxError('Invalid preceding regular expression');
  t.out += q[0];
  t.i = q[1];
};

/** ERE `{m,n}`: a literal `{` unless it is a valid interval after something. */
const ereInterval: TokenHandler = (t) => {
  const q = interval(t.pattern, t.i, '}');
  if (q && !t.atStart) {
    t.out += q[0];
    t.i = q[1];
  } else t.out += '\\{';
  t.atStart = false;
};

/** Backslash escapes that are not operators: word boundaries, classes, back references. */
function escapeSequence(t: Translation, next: string): string {
  if (next === '<') return '(?<![\\p{L}\\p{N}_])(?=[\\p{L}\\p{N}_])';
  if (next === '>') return '(?<=[\\p{L}\\p{N}_])(?![\\p{L}\\p{N}_])';
  if ('bBwWsS'.includes(next)) return `\\${next}`;
  if (/[1-9]/.test(next)) {
    if (Number(next) > t.groups) throw new RegexSyntaxError('Invalid back reference');
    return `\\${next}`;
  }
  if (next === 'n') return '\\n';
  if (next === 't') return 't';
  return lit(next);
}

function escaped(t: Translation, next: string | undefined): void {
  if (next === undefined) throw new RegexSyntaxError('Trailing backslash');
  t.i += 2;
  if (!t.extended && Object.hasOwn(OPERATORS, next)) OPERATORS[next]!(t, next);
  else if (!t.extended && next === '{') breInterval(t, next);
  else emit(t, escapeSequence(t, next));
}

/** Characters special in both BRE and ERE. */
const SPECIAL: Record<string, TokenHandler> = {
  '[': (t) => {
    const [cls, end] = bracket(t.pattern, t.i - 1);
    t.i = end;
    emit(t, cls);
  },
  '.': (t) => emit(t, '.'),
  '*': (t) => emit(t, t.atStart ? '\\*' : '*'),
  // BRE: an anchor only first (or after \( / \|); ERE: always an anchor.
  '^': (t) => {
    if (t.extended || t.atStart) t.out += '^';
    else emit(t, '\\^');
  },
  $: (t) => {
    const rest = t.pattern.slice(t.i);
    const anchor = t.extended || rest === '' || rest.startsWith('\\)') || rest.startsWith('\\|');
    emit(t, anchor ? '$' : '\\$');
  },
};

function plain(t: Translation, c: string): void {
  t.i++;
  if (Object.hasOwn(SPECIAL, c)) SPECIAL[c]!(t, c);
  else if (t.extended && Object.hasOwn(OPERATORS, c)) OPERATORS[c]!(t, c);
  else if (t.extended && c === '{') ereInterval(t, c);
  else emit(t, lit(c));
}

/** Translates a BRE (extended=false) or ERE to JS RegExp source. */
export function posixToJs(pattern: string, extended: boolean): string {
  const t: Translation = { pattern, extended, i: 0, out: '', depth: 0, groups: 0, atStart: true };
  while (t.i < pattern.length) {
    const c = pattern[t.i]!;
    if (c === '\\') escaped(t, pattern[t.i + 1]);
    else plain(t, c);
  }
  if (t.depth > 0) throw new RegexSyntaxError('Unmatched ( or \\(');
  return t.out;
}

/** Escapes a fixed string (grep -F) for a JS pattern. */
export function escapeFixed(text: string): string {
  return [...text].map(lit).join('');
}

export interface MatcherOptions {
  extended: boolean;
  fixed: boolean;
  ignoreCase: boolean;
  word: boolean;
  line: boolean;
}

/** One RegExp for all patterns (alternatives), or throws RegexSyntaxError. */
export function compileMatcher(patterns: string[], o: MatcherOptions): RegExp {
  const parts = patterns.map((p) => (o.fixed ? escapeFixed(p) : posixToJs(p, o.extended)));
  let source = parts.map((p) => `(?:${p})`).join('|');
  if (o.word) source = `(?<![\\p{L}\\p{N}_])(?:${source})(?![\\p{L}\\p{N}_])`;
  if (o.line) source = `^(?:${source})$`;
  try {
    return new RegExp(source, o.ignoreCase ? 'iu' : 'u');
  } catch (err) {
    throw new RegexSyntaxError(`Invalid regular expression: ${(err as Error).message}`);
  }
}
