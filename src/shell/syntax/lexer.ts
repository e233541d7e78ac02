// Lexer: source text → words (with their quoting kept per part) and operators. Syntax
// this shell does not implement ($( ), backticks, here-documents …) is rejected here,
// at the character where it starts.
import type { Word, WordPart } from './ast.js';
import { syntaxError, unsupported } from './errors.js';
import type { ParseError } from './errors.js';

export type Token =
  | { kind: 'word'; word: Word; raw: string; pos: number; end: number }
  | { kind: 'op'; op: string; pos: number; end: number; fd?: number }
  | { kind: 'eof'; pos: number; end: number };

const OPERATORS = ['&&', '||', ';;', '|&', '&>>', '&>', '>>', '>|', '>&', '<&', '<>', '<<', ';', '&', '|', '(', ')', '<', '>'];
const META = new Set([' ', '\t', '\n', '|', '&', ';', '<', '>', '(', ')']);
const SPECIAL_PARAMS = new Set(['?', '$', '!', '#', '@', '*', '-', '0']);
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

export function tokenize(source: string): Token[] {
  return new Lexer(source).run();
}

/** The parts of one word being read: adjacent literal text with the same quoting joins into one part. */
class WordParts {
  readonly parts: WordPart[] = [];
  /** '' and "" still make a (possibly empty) word. */
  sawQuote = false;
  private lit = '';
  private litQuoted = false;

  flush(): void {
    if (this.lit) this.parts.push({ type: 'lit', value: this.lit, quoted: this.litQuoted });
    this.lit = '';
  }

  addLit(text: string, quoted: boolean): void {
    if (this.lit && this.litQuoted !== quoted) this.flush();
    this.litQuoted = quoted;
    this.lit += text;
  }

  push(part: WordPart): void {
    this.flush();
    this.parts.push(part);
  }

  finish(): WordPart[] {
    this.flush();
    if (this.parts.length === 0 && this.sawQuote) this.parts.push({ type: 'lit', value: '', quoted: true });
    return this.parts;
  }
}

class Lexer {
  private i = 0;
  private readonly tokens: Token[] = [];
  constructor(private readonly src: string) {}

  run(): Token[] {
    for (;;) {
      this.skipBlanks();
      if (this.i >= this.src.length) {
        this.tokens.push({ kind: 'eof', pos: this.i, end: this.i });
        return this.tokens;
      }
      const c = this.src[this.i]!;
      if (c === '#') {
        while (this.i < this.src.length && this.src[this.i] !== '\n') this.i++;
        continue;
      }
      if (c === '\n') {
        this.tokens.push({ kind: 'op', op: '\n', pos: this.i, end: ++this.i });
        continue;
      }
      if (META.has(c)) {
        this.tokens.push(this.operator());
        continue;
      }
      this.word();
    }
  }

  private fail(pos: number, construct: string, plural = false): ParseError {
    return unsupported(this.src, pos, construct, plural);
  }

  private skipBlanks(): void {
    for (;;) {
      const c = this.src[this.i];
      if (c === ' ' || c === '\t') this.i++;
      else if (c === '\\' && this.src[this.i + 1] === '\n') this.i += 2;
      else return;
    }
  }

  private operator(fd?: number, start = this.i): Token {
    const pos = this.i;
    const op = OPERATORS.find((o) => this.src.startsWith(o, pos))!;
    if (op === '<<') {
      if (this.src.startsWith('<<<', pos)) throw this.fail(pos, "here-strings '<<<'", true);
      throw this.fail(pos, "here-documents '<<'", true);
    }
    if ((op === '<' || op === '>') && this.src[pos + 1] === '(') throw this.fail(pos, `process substitution '${op}( … )'`);
    this.i += op.length;
    const token: Token = { kind: 'op', op, pos: start, end: this.i };
    if (fd !== undefined) token.fd = fd;
    return token;
  }

  /** One word: a tilde prefix, then quotes, backslashes, `$` parameters and plain characters until a blank or operator. */
  private word(): void {
    const start = this.i;
    const parts = new WordParts();
    this.tilde(parts);
    while (this.i < this.src.length) {
      const c = this.src[this.i]!;
      if (META.has(c)) break;
      if (c === '\\') {
        if (!this.backslash(parts)) break;
      } else if (c === "'") this.singleQuoted(parts);
      else if (c === '"') {
        parts.flush();
        parts.sawQuote = true;
        this.doubleQuoted(parts.parts);
      } else if (c === '`') throw this.fail(this.i, "command substitution '`…`'");
      else if (c === '$') {
        const part = this.dollar(false);
        if (part) parts.push(part);
        else parts.addLit('$', false);
      } else {
        parts.addLit(c, false);
        this.i++;
      }
    }
    this.endWord(start, parts.finish());
  }

  /** `~` / `~user` before the first `/`, unquoted, at the start of the word. */
  private tilde(parts: WordParts): void {
    if (this.src[this.i] !== '~') return;
    let j = this.i + 1;
    while (j < this.src.length && /[A-Za-z0-9_.-]/.test(this.src[j]!)) j++;
    const next = this.src[j];
    if (next === undefined || next === '/' || META.has(next)) {
      parts.push({ type: 'tilde', user: this.src.slice(this.i + 1, j) });
      this.i = j;
    }
  }

  /**
   * An unquoted backslash quotes the next character; `\\<newline>` disappears. A backslash
   * at the very end is dropped and ends the word (returns false).
   */
  private backslash(parts: WordParts): boolean {
    const next = this.src[this.i + 1];
    if (next === undefined) {
      this.i++;
      return false;
    }
    this.i += 2;
    if (next !== '\n') parts.addLit(next, true);
    return true;
  }

  /** `'…'`: everything up to the next `'` literally. */
  private singleQuoted(parts: WordParts): void {
    const close = this.src.indexOf("'", this.i + 1);
    if (close === -1) throw syntaxError(this.src, this.i, 'unterminated quoted string');
    parts.addLit(this.src.slice(this.i + 1, close), true);
    parts.sawQuote = true;
    this.i = close + 1;
  }

  /** Pushes the word, or, for `2>file`, an all-digit word right before a redirect operator as its descriptor. */
  private endWord(start: number, parts: WordPart[]): void {
    const raw = this.src.slice(start, this.i);
    const nextChar = this.src[this.i];
    if (/^\d+$/.test(raw) && (nextChar === '<' || nextChar === '>')) {
      this.tokens.push(this.operator(Number(raw), start));
      return;
    }
    this.tokens.push({ kind: 'word', word: { parts, pos: start }, raw, pos: start, end: this.i });
  }

  private doubleQuoted(parts: WordPart[]): void {
    const open = this.i++;
    let lit = '';
    const flush = (): void => {
      parts.push({ type: 'lit', value: lit, quoted: true });
      lit = '';
    };
    for (;;) {
      if (this.i >= this.src.length) throw syntaxError(this.src, open, 'unterminated quoted string');
      const c = this.src[this.i]!;
      if (c === '"') {
        this.i++;
        if (lit) flush();
        return;
      }
      if (c === '\\') {
        const next = this.src[this.i + 1];
        if (next === '$' || next === '`' || next === '"' || next === '\\') {
          lit += next;
          this.i += 2;
          continue;
        }
        if (next === '\n') {
          this.i += 2;
          continue;
        }
        lit += c;
        this.i++;
        continue;
      }
      if (c === '`') throw this.fail(this.i, "command substitution '`…`'");
      if (c === '$') {
        const part = this.dollar(true);
        if (part) {
          if (lit) flush();
          parts.push(part);
        } else lit += '$';
        continue;
      }
      lit += c;
      this.i++;
    }
  }

  /** At a `$`: returns the parameter part, or undefined for a literal `$` (advancing past it). */
  private dollar(quoted: boolean): WordPart | undefined {
    const pos = this.i;
    const next = this.src[pos + 1];
    if (next === '(') {
      if (this.src[pos + 2] === '(') throw this.fail(pos, "arithmetic expansion '$(( … ))'");
      throw this.fail(pos, "command substitution '$( … )'");
    }
    if (next === "'" && !quoted) throw this.fail(pos, "ANSI-C quoting $'…'");
    if (next === '{') {
      const close = this.src.indexOf('}', pos + 2);
      if (close === -1) throw syntaxError(this.src, pos, "missing '}' in ${…}");
      const inner = this.src.slice(pos + 2, close);
      if (!/^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$!#@*0-])$/.test(inner)) {
        throw this.fail(pos, `the parameter expansion '\${${inner}}'`);
      }
      this.i = close + 1;
      return { type: 'param', name: inner, quoted };
    }
    if (next !== undefined && NAME_START.test(next)) {
      let j = pos + 2;
      while (j < this.src.length && NAME_CHAR.test(this.src[j]!)) j++;
      this.i = j;
      return { type: 'param', name: this.src.slice(pos + 1, j), quoted };
    }
    if (next !== undefined && (/[1-9]/.test(next) || SPECIAL_PARAMS.has(next))) {
      this.i = pos + 2;
      return { type: 'param', name: next, quoted };
    }
    this.i++;
    return undefined;
  }
}
