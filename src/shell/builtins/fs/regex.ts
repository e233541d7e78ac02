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

/** Translates a BRE (extended=false) or ERE to JS RegExp source. */
export function posixToJs(pattern: string, extended: boolean): string {
  let out = '';
  let depth = 0;
  let groups = 0;
  // Where a `*` is literal: at the start of the RE or of a group / alternative, or after `^`.
  let atStart = true;
  let i = 0;
  const quantifiable = (): boolean => !atStart;
  while (i < pattern.length) {
    const c = pattern[i]!;
    const next = pattern[i + 1];
    if (c === '\\') {
      if (next === undefined) throw new RegexSyntaxError('Trailing backslash');
      i += 2;
      const groupOpen = extended ? null : '(';
      const groupClose = extended ? null : ')';
      if (next === groupOpen) {
        out += '(';
        depth++;
        groups++;
        atStart = true;
        continue;
      }
      if (next === groupClose) {
        if (depth === 0) throw new RegexSyntaxError('Unmatched ) or \\)');
        out += ')';
        depth--;
        atStart = false;
        continue;
      }
      if (!extended && next === '|') {
        out += '|';
        atStart = true;
        continue;
      }
      if (!extended && next === '{') {
        const q = interval(pattern, i, '\\}');
        if (!q) throw new RegexSyntaxError('Unmatched \\{');
        if (atStart) throw new RegexSyntaxError('Invalid preceding regular expression');
        out += q[0];
        i = q[1];
        continue;
      }
      if (!extended && (next === '+' || next === '?')) {
        out += atStart ? `\\${next}` : next;
        atStart = false;
        continue;
      }
      if (next === '<') out += '(?<![\\p{L}\\p{N}_])(?=[\\p{L}\\p{N}_])';
      else if (next === '>') out += '(?<=[\\p{L}\\p{N}_])(?![\\p{L}\\p{N}_])';
      else if ('bBwWsS'.includes(next)) out += `\\${next}`;
      else if (/[1-9]/.test(next)) {
        if (Number(next) > groups) throw new RegexSyntaxError('Invalid back reference');
        out += `\\${next}`;
      } else if (next === 'n') out += '\\n';
      else if (next === 't') out += 't';
      else out += lit(next);
      atStart = false;
      continue;
    }
    i++;
    if (c === '[') {
      const [cls, end] = bracket(pattern, i - 1);
      out += cls;
      i = end;
      atStart = false;
      continue;
    }
    if (c === '.') {
      out += '.';
      atStart = false;
      continue;
    }
    if (c === '*') {
      out += quantifiable() ? '*' : '\\*';
      atStart = false;
      continue;
    }
    if (c === '^') {
      // BRE: an anchor only first (or after \( / \|); ERE: always an anchor.
      if (extended || atStart) {
        out += '^';
        continue;
      }
      out += '\\^';
      atStart = false;
      continue;
    }
    if (c === '$') {
      const rest = pattern.slice(i);
      const anchor = extended || rest === '' || rest.startsWith('\\)') || rest.startsWith('\\|');
      out += anchor ? '$' : '\\$';
      atStart = false;
      continue;
    }
    if (extended) {
      if (c === '(') {
        out += '(';
        depth++;
        groups++;
        atStart = true;
        continue;
      }
      if (c === ')') {
        if (depth === 0) throw new RegexSyntaxError('Unmatched ) or \\)');
        out += ')';
        depth--;
        atStart = false;
        continue;
      }
      if (c === '|') {
        out += '|';
        atStart = true;
        continue;
      }
      if (c === '+' || c === '?') {
        out += atStart ? `\\${c}` : c;
        atStart = false;
        continue;
      }
      if (c === '{') {
        const q = interval(pattern, i, '}');
        if (q && !atStart) {
          out += q[0];
          i = q[1];
        } else out += '\\{';
        atStart = false;
        continue;
      }
    }
    out += lit(c);
    atStart = false;
  }
  if (depth > 0) throw new RegexSyntaxError('Unmatched ( or \\(');
  return out;
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
