// Parser: tokens → Script. The grammar is the small subset of POSIX sh that DESIGN.md
// lists (simple commands, pipelines, && || ; &, redirects); compound commands are
// recognised only to name them in the error.
import type { AndOr, Assignment, ListItem, Pipeline, Redirect, RedirectOp, Script, SimpleCommand, Word } from './ast.js';
import { syntaxError, unsupported } from './errors.js';
import type { ParseError } from './errors.js';
import { tokenize } from './lexer.js';
import type { Token } from './lexer.js';

const REDIRECT_OPS = new Set(['<', '>', '>>', '>|', '>&', '<&', '&>', '&>>', '<>']);

/** Reserved words at the start of a command, and what to call them in the error. */
const RESERVED: Record<string, [string, boolean]> = {
  if: ["'if' statements", true],
  then: ["'if' statements", true],
  elif: ["'if' statements", true],
  else: ["'if' statements", true],
  fi: ["'if' statements", true],
  for: ["'for' loops", true],
  while: ["'while' loops", true],
  until: ["'until' loops", true],
  select: ["'select' loops", true],
  do: ["'do … done' loops", true],
  done: ["'do … done' loops", true],
  case: ["'case' statements", true],
  esac: ["'case' statements", true],
  function: ['functions', true],
  '{': ["'{ … }' command groups", true],
  '}': ["'{ … }' command groups", true],
  '[[': ["'[[ … ]]' tests (use '[' or test from the toolbox)", true],
  '((': ["arithmetic commands '(( … ))'", true],
};

export function parse(source: string): Script {
  return new Parser(source, tokenize(source)).script();
}

class Parser {
  private k = 0;
  constructor(
    private readonly src: string,
    private readonly tokens: Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.k]!;
  }
  private next(): Token {
    return this.tokens[this.k++]!;
  }
  private isOp(...ops: string[]): boolean {
    const t = this.peek();
    return t.kind === 'op' && ops.includes(t.op);
  }
  private skipNewlines(): void {
    while (this.isOp('\n')) this.k++;
  }
  private unexpected(t: Token): ParseError {
    const what = t.kind === 'eof' ? 'end of input' : t.kind === 'op' ? `'${t.op === '\n' ? '\\n' : t.op}'` : `'${t.raw}'`;
    return syntaxError(this.src, t.pos, `unexpected ${what}`);
  }

  script(): Script {
    const items: ListItem[] = [];
    for (;;) {
      while (this.isOp('\n', ';')) {
        const t = this.next();
        if (t.kind === 'op' && t.op === ';' && items.length === 0) throw this.unexpected(t);
      }
      const t = this.peek();
      if (t.kind === 'eof') return { type: 'script', items };
      const start = t.pos;
      const andOr = this.andOr();
      const sep = this.peek();
      const end = sep.pos;
      let background = false;
      if (sep.kind === 'op' && sep.op === '&') {
        background = true;
        this.k++;
      } else if (sep.kind === 'op' && sep.op === ';') {
        this.k++;
      } else if (sep.kind === 'op' && sep.op === ';;') {
        throw unsupported(this.src, sep.pos, "'case' statements", true);
      } else if (!(sep.kind === 'eof' || (sep.kind === 'op' && sep.op === '\n'))) {
        throw this.unexpected(sep);
      }
      items.push({ andOr, background, text: this.src.slice(start, end).trim() });
    }
  }

  private andOr(): AndOr {
    const pos = this.peek().pos;
    const first = this.pipeline();
    const rest: AndOr['rest'] = [];
    while (this.isOp('&&', '||')) {
      const op = (this.next() as { op: '&&' | '||' }).op;
      this.skipNewlines();
      rest.push({ op, pipeline: this.pipeline() });
    }
    return { type: 'andor', first, rest, pos };
  }

  private pipeline(): Pipeline {
    const pos = this.peek().pos;
    let negated = false;
    const t = this.peek();
    if (t.kind === 'word' && t.raw === '!') {
      negated = true;
      this.k++;
    }
    const commands = [this.command()];
    while (this.isOp('|', '|&')) {
      const op = this.next() as { op: string; pos: number };
      // `a |& b` is `a 2>&1 | b`.
      if (op.op === '|&') {
        commands.at(-1)!.redirects.push({ fd: 2, op: '>&', target: { parts: [{ type: 'lit', value: '1', quoted: true }], pos: op.pos }, pos: op.pos });
      }
      this.skipNewlines();
      commands.push(this.command());
    }
    return { type: 'pipeline', negated, commands, pos };
  }

  private command(): SimpleCommand {
    const start = this.peek();
    const cmd: SimpleCommand = { type: 'simple', assigns: [], args: [], redirects: [], pos: start.pos };
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && REDIRECT_OPS.has(t.op)) {
        cmd.redirects.push(this.redirect());
        continue;
      }
      if (t.kind === 'op' && t.op === '(') {
        if (cmd.args.length === 1 && this.tokens[this.k + 1]?.kind === 'op' && (this.tokens[this.k + 1] as { op: string }).op === ')') {
          throw unsupported(this.src, cmd.args[0]!.pos, 'functions', true);
        }
        if (cmd.args.length === 0 && cmd.assigns.length === 0) {
          if (this.src[t.pos + 1] === '(') throw unsupported(this.src, t.pos, "arithmetic commands '(( … ))'", true);
          throw unsupported(this.src, t.pos, "subshells '( … )'", true);
        }
        throw this.unexpected(t);
      }
      if (t.kind !== 'word') break;
      this.k++;
      if (cmd.args.length === 0) {
        const assign = cmd.args.length === 0 ? asAssignment(t) : undefined;
        if (assign) {
          cmd.assigns.push(assign);
          continue;
        }
        if (cmd.assigns.length === 0 && cmd.redirects.length === 0 && isPlain(t) && t.raw in RESERVED) {
          const [construct, plural] = RESERVED[t.raw]!;
          throw unsupported(this.src, t.pos, construct, plural);
        }
      }
      cmd.args.push(t.word);
    }
    if (cmd.args.length === 0 && cmd.assigns.length === 0 && cmd.redirects.length === 0) throw this.unexpected(this.peek());
    return cmd;
  }

  private redirect(): Redirect {
    const t = this.next() as { op: string; pos: number; fd?: number };
    const op = t.op as RedirectOp;
    const target = this.peek();
    if (target.kind !== 'word') {
      throw syntaxError(this.src, target.pos, `'${op}' needs a file name`);
    }
    this.k++;
    const defaultFd = op.startsWith('<') ? 0 : 1;
    return { fd: t.fd ?? defaultFd, op, target: target.word, pos: t.pos };
  }
}

/** A word without any quoting or expansion (so `'if'` is an ordinary command name). */
function isPlain(t: Extract<Token, { kind: 'word' }>): boolean {
  return t.word.parts.every((p) => p.type === 'lit' && !p.quoted);
}

/** `NAME=value` (the name unquoted) → an assignment whose value keeps the rest of the word. */
function asAssignment(t: Extract<Token, { kind: 'word' }>): Assignment | undefined {
  const first = t.word.parts[0];
  if (!first || first.type !== 'lit' || first.quoted) return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.value);
  if (!m) return undefined;
  const restText = first.value.slice(m[0].length);
  const parts: Word['parts'] = [];
  // VAR=~/x expands the tilde as sh does.
  const tilde = /^~([A-Za-z0-9_.-]*)(?=\/|$)/.exec(restText);
  if (tilde && (restText.length > tilde[0].length || t.word.parts.length === 1 || restText.length === tilde[0].length)) {
    parts.push({ type: 'tilde', user: tilde[1]! });
    const after = restText.slice(tilde[0].length);
    if (after) parts.push({ type: 'lit', value: after, quoted: false });
  } else if (restText) {
    parts.push({ type: 'lit', value: restText, quoted: false });
  }
  parts.push(...t.word.parts.slice(1));
  return { name: m[1]!, value: { parts, pos: t.pos + m[0].length }, pos: t.pos };
}
