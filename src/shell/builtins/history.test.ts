import { describe, expect, it } from 'vitest';
import { runLines } from '../../../test/helpers/test-interpreter.js';

describe('history and clear', () => {
  it('numbers entries, shows the last N, clears', async () => {
    const entries = ['ls', 'echo a', 'pwd'];
    const history = { list: () => entries, clear: () => entries.splice(0) };
    const r = await runLines(['history', 'history 1', 'history -c', 'history'], { history });
    expect(r.stdout).toBe('    1  ls\n    2  echo a\n    3  pwd\n    3  pwd\n');
    expect(await runLines('history x', { history })).toMatchObject({ code: 2 });
  });
  it('clear sends the ECMA-48 clear sequence', async () => {
    expect((await runLines('clear')).stdout).toBe('\x1b[H\x1b[2J\x1b[3J');
  });
});
