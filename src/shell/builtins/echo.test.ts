import { describe, expect, it } from 'vitest';
import { runLines } from '../interp/testing.js';

describe('echo', () => {
  it.each([
    ['echo a b  c', 'a b c\n'],
    ['echo', '\n'],
    ['echo -n x', 'x'],
    ['echo -e "a\\tb\\nc\\x41\\0101\\\\"', 'a\tb\ncAA\\\n'],
    ['echo -e "stop\\cgone"', 'stop'],
    ['echo -E "a\\tb"', 'a\\tb\n'],
    ['echo -ne "x\\n"', 'x\n'],
    ['echo -x -n', '-x -n\n'],
    ['echo -- a', '-- a\n'],
    ['echo 日本語 ✓', '日本語 ✓\n'],
  ])('%j', async (line, expected) => {
    expect((await runLines(line)).stdout).toBe(expected);
  });
});
