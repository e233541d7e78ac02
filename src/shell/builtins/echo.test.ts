import { describe, expect, it } from 'vitest';
import { runLines } from '../../../test/helpers/test-interpreter.js';

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

  it('\\xHH and \\0NNN escapes write raw bytes, other text UTF-8', async () => {
    const { PassThrough } = await import('node:stream');
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await runLines(['echo -ne "\\xff\\0200é"', 'printf "\\xfe%b" "\\x80"'], { stdout: out });
    expect([...Buffer.concat(chunks)]).toEqual([0xff, 0x80, 0xc3, 0xa9, 0xfe, 0x80]);
  });
});
