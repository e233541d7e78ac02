import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { writeTar } from './tar-writer.js';

const run = promisify(execFile);
const entries = [
  { name: 'sh', type: 'symlink' as const, target: 'busybox' },
  { name: 'busybox', type: 'file' as const, mode: 0o755, data: Buffer.from('\x7fELF fake busybox\n') },
];

describe('writeTar', () => {
  it('is byte-identical for the same entries in any order, padded to 10 KiB records', () => {
    const a = writeTar(entries);
    const b = writeTar([...entries].reverse());
    expect(a.equals(b)).toBe(true);
    expect(a.length % 10240).toBe(0);
  });

  it('is read by GNU tar: sorted, root/root, mtime 0, modes and link kept', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bg-tarw-'));
    try {
      await writeFile(join(dir, 'x.tar'), writeTar(entries));
      const { stdout } = await run('tar', ['--numeric-owner', '--full-time', '-tvf', join(dir, 'x.tar')], { env: { ...process.env, TZ: 'UTC' } });
      expect(stdout).toBe(
        '-rwxr-xr-x 0/0              18 1970-01-01 00:00:00 busybox\n' +
        'lrwxrwxrwx 0/0               0 1970-01-01 00:00:00 sh -> busybox\n',
      );
      await run('tar', ['-xf', join(dir, 'x.tar'), '-C', dir]);
      expect(await readFile(join(dir, 'busybox'), 'utf8')).toBe('\x7fELF fake busybox\n');
      expect((await stat(join(dir, 'busybox'))).mode & 0o777).toBe(0o755);
      expect(await readlink(join(dir, 'sh'))).toBe('busybox');
      const { stdout: names } = await run('tar', ['-tvf', join(dir, 'x.tar')]);
      expect(names).toMatch(/root\/root/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses names too long for a ustar header', () => {
    expect(() => writeTar([{ name: 'x'.repeat(101), type: 'file', mode: 0o644, data: Buffer.alloc(0) }])).toThrow(/too long/);
  });
});
