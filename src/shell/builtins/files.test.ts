import { describe, expect, it } from 'vitest';
import { FILE_BUILTINS } from './files.js';
import { builtinTable } from './index.js';
import { runBuiltin } from '../../../test/helpers/file-builtin-ctx.js';

describe('FILE_BUILTINS', () => {
  it('registers every file built-in once', () => {
    expect(FILE_BUILTINS.map((b) => b.name).sort()).toEqual(
      ['cat', 'chmod', 'cp', 'du', 'find', 'grep', 'head', 'hexdump', 'ln', 'ls', 'md5sum', 'mkdir', 'mv', 'rm', 'rmdir', 'sha256sum', 'stat', 'tail', 'touch', 'wc', 'xxd'],
    );
    expect(() => builtinTable(FILE_BUILTINS)).not.toThrow();
    // No other group claims one of these names.
    const table = builtinTable();
    for (const b of FILE_BUILTINS) expect(table.get(b.name)).toBe(b);
  });
  it.each(FILE_BUILTINS.map((b) => [b.name, b] as const))('%s has a summary and a usage that --help prints', async (name, builtin) => {
    expect(builtin.summary.length).toBeGreaterThan(10);
    expect(builtin.usage).toMatch(new RegExp(`^Usage: ${name} `));
    const r = await runBuiltin(builtin, ['--help'], { cwd: '/' });
    expect([r.out, r.code]).toEqual([builtin.usage, 0]);
  });
  it.each(FILE_BUILTINS.filter((b) => b.name !== 'find').map((b) => [b.name, b] as const))('%s rejects an unknown option', async (name, builtin) => {
    const r = await runBuiltin(builtin, ['--no-such-option'], { cwd: '/' });
    expect(r.err).toMatch(new RegExp(`^${name}: unrecognized option '--no-such-option'\\nTry '${name} --help' for more information\\.\\n$`));
    expect(r.code).toBe(name === 'ls' || name === 'grep' ? 2 : 1);
  });
});
