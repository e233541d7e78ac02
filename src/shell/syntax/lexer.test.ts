// Token tables for the word lexer, pinned when word() was split by construct (issue 10);
// the parser tests cover the same constructs through the AST.
import { describe, expect, it } from 'vitest';
import { tokenize } from './lexer.js';
import type { Token } from './lexer.js';

/** Tokens as compact strings: a word as its parts (q = quoted) and raw text, an operator with its fd. */
function show(tokens: Token[]): string[] {
  return tokens.map((t) => {
    if (t.kind === 'eof') return `eof@${t.pos}`;
    if (t.kind === 'op') return `op ${JSON.stringify(t.op)}${t.fd !== undefined ? ` fd=${t.fd}` : ''} ${t.pos}-${t.end}`;
    const parts = t.word.parts.map((p) => (p.type === 'lit' ? `${p.quoted ? 'q' : ''}lit(${p.value})` : p.type === 'param' ? `${p.quoted ? 'q' : ''}$${p.name}` : `~${p.user}`));
    return `word ${JSON.stringify(t.raw)} ${t.pos}-${t.end} [${parts.join(' ')}]`;
  });
}

describe('tokenize', () => {
  it.each([
    ['a\\', ['word "a\\\\" 0-2 [lit(a)]', 'eof@2']],
    ['\\', ['word "\\\\" 0-1 []', 'eof@1']],
    ['a\\ b\\\nc', ['word "a\\\\ b\\\\\\nc" 0-7 [lit(a) qlit( ) lit(bc)]', 'eof@7']],
    ["''", ['word "\'\'" 0-2 [qlit()]', 'eof@2']],
    ['x""y', ['word "x\\"\\"y" 0-4 [lit(x) lit(y)]', 'eof@4']],
    ["a'b c'\"$d\"$", ['word "a\'b c\'\\"$d\\"$" 0-11 [lit(a) qlit(b c) q$d lit($)]', 'eof@11']],
    ['~root/x ~ a~', ['word "~root/x" 0-7 [~root lit(/x)]', 'word "~" 8-9 [~]', 'word "a~" 10-12 [lit(a~)]', 'eof@12']],
    ['${HOME}x$1$?', ['word "${HOME}x$1$?" 0-12 [$HOME lit(x) $1 $?]', 'eof@12']],
    ['2>f 12<g 3x>h', ['op ">" fd=2 0-2', 'word "f" 2-3 [lit(f)]', 'op "<" fd=12 4-7', 'word "g" 7-8 [lit(g)]', 'word "3x" 9-11 [lit(3x)]', 'op ">" 11-12', 'word "h" 12-13 [lit(h)]', 'eof@13']],
  ])('%j', (source, expected) => {
    expect(show(tokenize(source))).toEqual(expected);
  });
  it.each([
    ["'open", 'unterminated quoted string'],
    ['`ls`', 'command substitution'],
    ['a$(b)', 'command substitution'],
  ])('%j is rejected: %s', (source, message) => {
    expect(() => tokenize(source)).toThrow(message);
  });
});
