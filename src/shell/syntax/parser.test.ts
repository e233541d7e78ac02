import { describe, expect, it } from 'vitest';
import { parse, ParseError } from './index.js';
import type { Script, Word } from './index.js';

/** A compact rendering of the AST for table tests: words as their parts. */
function show(script: Script): unknown {
  const word = (w: Word): string =>
    w.parts.map((p) => (p.type === 'lit' ? (p.quoted ? `'${p.value}'` : p.value) : p.type === 'param' ? `$${p.quoted ? 'q' : ''}{${p.name}}` : `~${p.user}`)).join('+');
  return script.items.map((item) => ({
    bg: item.background,
    text: item.text,
    andOr: [item.andOr.first, ...item.andOr.rest.map((r) => r.pipeline)].map((p, i) => ({
      op: i === 0 ? undefined : item.andOr.rest[i - 1]!.op,
      neg: p.negated,
      cmds: p.commands.map((c) => ({
        assigns: c.assigns.map((a) => `${a.name}=${word(a.value)}`),
        args: c.args.map(word),
        redirects: c.redirects.map((r) => `${r.fd}${r.op}${word(r.target)}`),
      })),
    })),
  }));
}

/** Just the words of the single command of a one-command line. */
function words(line: string): string[] {
  const s = show(parse(line)) as Array<{ andOr: Array<{ cmds: Array<{ args: string[] }> }> }>;
  return s[0]!.andOr[0]!.cmds[0]!.args;
}

describe('parse: words and quoting', () => {
  it.each([
    ['echo hi', ['echo', 'hi']],
    ['echo "a  b" c\\ d', ['echo', "'a  b'", "c+' '+d"]],
    ["echo 'it''s'", ['echo', "'its'"]],
    ['echo "x$HOME/y"', ['echo', "'x'+$q{HOME}+'/y'"]],
    ['echo ${HOME}x', ['echo', '${HOME}+x']],
    ['echo $? $$ $! $# $1', ['echo', '${?}', '${$}', '${!}', '${#}', '${1}']],
    ['echo ~ ~/x ~root/y a~', ['echo', '~', '~+/x', '~root+/y', 'a~']],
    ['echo "" \'\'', ['echo', "''", "''"]],
    ['echo a\\\nb', ['echo', 'ab']],
    ['echo *.txt [ab]? "*"', ['echo', '*.txt', '[ab]?', "'*'"]],
    ['echo $ "$" a$', ['echo', '$', "'$'", 'a$']],
    ['echo "\\$x \\"q\\" \\n"', ['echo', "'$x \"q\" \\n'"]],
    ['echo a#b # comment', ['echo', 'a#b']],
  ])('%j', (line, expected) => {
    expect(words(line)).toEqual(expected);
  });
});

describe('parse: structure', () => {
  it('lists, and-or, background', () => {
    const s = show(parse('a; b && c || d & e')) as Array<{ bg: boolean; text: string; andOr: Array<{ op?: string }> }>;
    expect(s.map((i) => [i.text, i.bg, i.andOr.map((p) => p.op ?? '')])).toEqual([
      ['a', false, ['']],
      ['b && c || d', true, ['', '&&', '||']],
      ['e', false, ['']],
    ]);
  });

  it('pipelines, negation and |&', () => {
    expect(show(parse('! a x | b 2>&1 |& c'))).toEqual([
      {
        bg: false,
        text: '! a x | b 2>&1 |& c',
        andOr: [
          {
            op: undefined,
            neg: true,
            cmds: [
              { assigns: [], args: ['a', 'x'], redirects: [] },
              { assigns: [], args: ['b'], redirects: ['2>&1', "2>&'1'"] },
              { assigns: [], args: ['c'], redirects: [] },
            ],
          },
        ],
      },
    ]);
  });

  it.each([
    ['cat <in >out 2>err', ['0<in', '1>out', '2>err']],
    ['cmd >>log 2>&1 &>all &>>both', ['1>>log', '2>&1', '1&>all', '1&>>both']],
    ['cmd 3>x 0<&- >|f', ['3>x', '0<&-', '1>|f']],
    ['cmd >"$HOME/f"', ['1>$q{HOME}+\'/f\'']],
  ])('redirects %j', (line, expected) => {
    const s = show(parse(line)) as Array<{ andOr: Array<{ cmds: Array<{ redirects: string[] }> }> }>;
    expect(s[0]!.andOr[0]!.cmds[0]!.redirects).toEqual(expected);
  });

  it('assignments before the command only', () => {
    const s = show(parse('A=1 B="x y" C=~/d cmd D=2')) as Array<{ andOr: Array<{ cmds: Array<{ assigns: string[]; args: string[] }> }> }>;
    expect(s[0]!.andOr[0]!.cmds[0]).toMatchObject({ assigns: ['A=1', "B='x y'", 'C=~+/d'], args: ['cmd', 'D=2'] });
  });

  it('newlines separate commands; && may continue on the next line', () => {
    expect((show(parse('a\nb &&\n c\n')) as unknown[]).length).toBe(2);
  });

  it('an empty line or comment is an empty script', () => {
    expect(parse('   # nothing').items).toEqual([]);
    expect(parse('').items).toEqual([]);
  });

  it('a quoted reserved word is an ordinary command', () => {
    expect(words("'if' x")).toEqual(["'if'", 'x']);
    expect(words('echo if for')).toEqual(['echo', 'if', 'for']);
  });
});

describe('parse: errors name the construct and the position', () => {
  it.each([
    ['for i in 1 2; do echo $i; done', 1, 1, "'for' loops are not supported by the breakglass shell; run the toolbox's sh: sh -c 'for i in 1 2; do echo $i; done'"],
    ['if true; then x; fi', 1, 1, "'if' statements are not supported"],
    ['while true; do x; done', 1, 1, "'while' loops are not supported"],
    ['until x; do y; done', 1, 1, "'until' loops are not supported"],
    ['case x in a) ;; esac', 1, 1, "'case' statements are not supported"],
    ['f() { echo; }', 1, 1, 'functions are not supported'],
    ['function f { x; }', 1, 1, 'functions are not supported'],
    ['echo $(date)', 1, 6, "command substitution '$( … )' is not supported"],
    ['echo `date`', 1, 6, "command substitution '`…`' is not supported"],
    ['echo "a `b`"', 1, 9, "command substitution '`…`' is not supported"],
    ['echo $((1+2))', 1, 6, "arithmetic expansion '$(( … ))' is not supported"],
    ['(cd /; ls)', 1, 1, "subshells '( … )' are not supported"],
    ['{ a; }', 1, 1, "'{ … }' command groups are not supported"],
    ['cat <<EOF', 1, 5, "here-documents '<<' are not supported"],
    ['diff <(a) b', 1, 6, "process substitution '<( … )' is not supported"],
    ['echo ${x:-y}', 1, 6, "the parameter expansion '${x:-y}' is not supported"],
    ["echo 'abc", 1, 6, 'syntax error: unterminated quoted string'],
    ['echo "abc', 1, 6, 'syntax error: unterminated quoted string'],
    ['a | | b', 1, 5, "syntax error: unexpected '|'"],
    ['&& b', 1, 1, "syntax error: unexpected '&&'"],
    ['a &&', 1, 5, 'syntax error: unexpected end of input'],
    ['echo >', 1, 7, "syntax error: '>' needs a file name"],
    ['; a', 1, 1, "syntax error: unexpected ';'"],
    ['echo ok\nfor x', 2, 1, "'for' loops are not supported"],
  ])('%j → %i:%i', (line, l, c, message) => {
    let error: unknown;
    try {
      parse(line);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ParseError);
    const e = error as ParseError;
    expect([e.line, e.column]).toEqual([l, c]);
    expect(e.message).toContain(message);
  });
});
