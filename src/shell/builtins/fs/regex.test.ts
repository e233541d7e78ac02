import { describe, expect, it } from 'vitest';
import { RegexSyntaxError, compileMatcher, posixToJs } from './regex.js';

const matches = (pattern: string, extended: boolean, text: string): boolean => new RegExp(posixToJs(pattern, extended), 'u').test(text);

describe('posixToJs: BRE', () => {
  it.each([
    ['a.c', 'abc', true],
    ['a\\.c', 'abc', false],
    ['a\\.c', 'a.c', true],
    ['^ab*$', 'abbb', true],
    ['*a', '*a', true],
    ['\\(ab\\)\\{2\\}', 'abab', true],
    ['\\(ab\\)\\{2\\}', 'ab', false],
    ['a\\{1,\\}b', 'aaab', true],
    ['a+b', 'a+b', true],
    ['a+b', 'aab', false],
    ['a\\+b', 'aab', true],
    ['a\\?b', 'b', true],
    ['cat\\|dog', 'hotdog', true],
    ['(x)', '(x)', true],
    ['a{2}', 'a{2}', true],
    ['x$y', 'x$y', true],
    ['a^b', 'a^b', true],
    ['[[:digit:]]\\+', 'abc123', true],
    ['[[:upper:]]', 'abc', false],
    ['[]x]', ']', true],
    ['[^]x]', ']', false],
    ['[a\\]', '\\', true],
    ['[a-c]', 'b', true],
    ['[a-]', '-', true],
    ['\\<is\\>', 'this is it', true],
    ['\\<is\\>', 'this', false],
    ['\\(a\\)\\1', 'aa', true],
    ['\\w\\+', '...', false],
    ['/path/', 'a/path/b', true],
  ])('%s on %j → %s', (pattern, text, expected) => {
    expect(matches(pattern, false, text)).toBe(expected);
  });
});

describe('posixToJs: ERE', () => {
  it.each([
    ['a+b', 'aab', true],
    ['a|b', 'b', true],
    ['(ab){2}', 'abab', true],
    ['a{,2}c', 'c', true],
    ['a{', 'a{', true],
    ['\\(', '(', true],
    ['^(foo|bar)$', 'bar', true],
    ['x?y', 'y', true],
    ['[[:space:]]', 'a b', true],
    ['a.b', 'a\u00e9b', true],
  ])('%s on %j → %s', (pattern, text, expected) => {
    expect(matches(pattern, true, text)).toBe(expected);
  });
});

describe('posixToJs errors (GNU grep messages)', () => {
  it.each([
    ['a\\(', false, 'Unmatched ( or \\('],
    ['a(', true, 'Unmatched ( or \\('],
    ['a)', true, 'Unmatched ) or \\)'],
    ['[a', false, 'Unmatched [, [^, [:, [., or [='],
    ['a\\{1', false, 'Unmatched \\{'],
    ['[[:foo:]]', true, 'Invalid character class name'],
    ['\\1', true, 'Invalid back reference'],
    ['a\\', false, 'Trailing backslash'],
  ])('%s (ERE %s) → %s', (pattern, extended, message) => {
    expect(() => posixToJs(pattern, extended)).toThrow(new RegexSyntaxError(message));
  });
});

describe('compileMatcher', () => {
  const base = { extended: false, fixed: false, ignoreCase: false, word: false, line: false };
  it('joins patterns, escapes fixed strings, and honours -i -w -x', () => {
    expect(compileMatcher(['foo', 'bar'], base).test('a bar')).toBe(true);
    expect(compileMatcher(['a.c'], { ...base, fixed: true }).test('abc')).toBe(false);
    expect(compileMatcher(['a.c'], { ...base, fixed: true }).test('xa.cx')).toBe(true);
    expect(compileMatcher(['HELLO'], { ...base, ignoreCase: true }).test('hello')).toBe(true);
    expect(compileMatcher(['is'], { ...base, word: true }).test('this')).toBe(false);
    expect(compileMatcher(['is'], { ...base, word: true }).test('this is')).toBe(true);
    expect(compileMatcher(['ab'], { ...base, line: true }).test('abc')).toBe(false);
  });
});
