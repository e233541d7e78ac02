import { describe, expect, it } from 'vitest';
import { runLines } from '../../../test/helpers/test-interpreter.js';
import { BUILTINS } from './index.js';

describe('help', () => {
  it('lists every registered built-in with its summary', async () => {
    const r = await runLines('help');
    for (const b of BUILTINS) expect(r.stdout).toContain(b.summary);
    expect(r.stdout).toMatch(/^echo +print arguments$/m);
  });
  it('help NAME shows the usage; unknown names are an error', async () => {
    expect((await runLines('help kill')).stdout).toMatch(/^Usage: kill/);
    expect(await runLines('help nosuch')).toMatchObject({ code: 1, stderr: expect.stringMatching(/^help: no built-in named 'nosuch'/) });
  });
  it('every built-in answers --help with its usage and exit 0', async () => {
    for (const b of BUILTINS) {
      const r = await runLines(`${b.name} --help`);
      expect(r.code, b.name).toBe(0);
      expect(r.stdout.trim(), b.name).toBe(b.usage.trim());
    }
  });
});
