import { describe, expect, it } from 'vitest';
import { runLines } from '../../../test/helpers/test-interpreter.js';

describe('which and type', () => {
  it('which: built-ins, PATH programs, not found → 1', async () => {
    const r = await runLines('which echo tr nosuchprog');
    expect(r.stdout).toMatch(/^echo: shell built-in\n\/\S+\/tr\n$/);
    expect(r.code).toBe(1);
    expect((await runLines('which -a tr')).stdout.trim().split('\n').every((l) => l.endsWith('/tr'))).toBe(true);
  });
  it('type describes each name', async () => {
    const r = await runLines('type cd tr nosuchprog');
    expect(r.stdout).toMatch(/^cd is a shell builtin\ntr is \/\S+\/tr\n$/);
    expect(r.stderr).toBe('nosuchprog: not found\n');
    expect(r.code).toBe(1);
  });
});
