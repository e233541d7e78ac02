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

  private word(): void {
    const start = this.i;
    const parts: WordPart[] = [];
    let lit = '';
    let litQuoted = false;
    // '' and "" still make a (possibly empty) word.
    let sawQuote = false;
    const flush = (): void => {
      if (lit) parts.push({ type: 'lit', value: lit, quoted: litQuoted });
      lit = '';
    };
    const addLit = (text: string, quoted: boolean): void => {
      if (lit && litQuoted !== quoted) flush();
      litQuoted = quoted;
      lit += text;
    };
    // `~` / `~user` before the first `/`, unquoted, at the start of the word.
    if (this.src[this.i] === '~') {
      let j = this.i + 1;
      while (j < this.src.length && /[A-Za-z0-9_.-]/.test(this.src[j]!)) j++;
      const next = this.src[j];
      if (next === undefined || next === '/' || META.has(next)) {
        parts.push({ type: 'tilde', user: this.src.slice(this.i + 1, j) });
        this.i = j;
      }
    }
    while (this.i < this.src.length) {
      const c = this.src[this.i]!;
      if (META.has(c)) break;
      if (c === '\\') {
        const next = this.src[this.i + 1];
        this.i += 2;
        if (next === undefined) {
          this.i--;
          break;
        }
        if (next !== '\n') addLit(next, true);
        continue;
      }
      if (c === "'") {
        const close = this.src.indexOf("'", this.i + 1);
        if (close === -1) throw syntaxError(this.src, this.i, 'unterminated quoted string');
        addLit(this.src.slice(this.i + 1, close), true);
        sawQuote = true;
        this.i = close + 1;
        continue;
      }
      if (c === '"') {
        flush();
        sawQuote = true;
        this.doubleQuoted(parts);
        continue;
      }
      if (c === '`') throw this.fail(this.i, "command substitution '`…`'");
      if (c === '$') {
        const part = this.dollar(false);
        if (part) {
          flush();
          parts.push(part);
        } else addLit('$', false);
        continue;
      }
      addLit(c, false);
      this.i++;
    }
    flush();
    if (parts.length === 0 && sawQuote) parts.push({ type: 'lit', value: '', quoted: true });
    const raw = this.src.slice(start, this.i);
    // `2>file`: an all-digit word right before a redirect operator is its descriptor.
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
