import { describe, expect, it } from 'vitest';
import { countZombies, parseStatStateAndParent } from './pid1.js';

describe('PID 1 zombie accounting', () => {
  it('parses state and parent even when the command name has spaces and parentheses', () => {
    expect(parseStatStateAndParent('42 (a (b) c) Z 1 42 42 0 -1')).toEqual({ state: 'Z', ppid: 1 });
    expect(parseStatStateAndParent('garbage')).toBeUndefined();
  });

  it('counts no zombies of a fresh process on the real /proc', async () => {
    expect(await countZombies(process.pid)).toBe(0);
  });
});
