import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generatePassword, loadOrCreatePassword } from './password.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-pw-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('gokr-pw.txt', () => {
  it('generates 20 alphanumerics', () => {
    const pw = generatePassword();
    expect(pw).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(generatePassword()).not.toBe(pw);
  });

  it('prefers /perm, falls back to /etc', async () => {
    const perm = join(dir, 'perm.txt');
    const etc = join(dir, 'etc.txt');
    await writeFile(etc, 'from-etc\n');
    expect(await loadOrCreatePassword(undefined, [perm, etc])).toEqual({ password: 'from-etc', file: etc, generated: false });
    await writeFile(perm, 'from-perm\n');
    expect((await loadOrCreatePassword(undefined, [perm, etc])).password).toBe('from-perm');
  });

  it('writes a generated password with mode 0400 into the first candidate', async () => {
    const perm = join(dir, 'sub', 'gokr-pw.txt');
    const result = await loadOrCreatePassword(undefined, [perm, join(dir, 'etc.txt')]);
    expect(result.generated).toBe(true);
    expect((await readFile(perm, 'utf8')).trim()).toBe(result.password);
    expect((await stat(perm)).mode & 0o777).toBe(0o400);
    expect((await loadOrCreatePassword(undefined, [perm])).password).toBe(result.password);
  });

  it('refuses an empty password file', async () => {
    const file = join(dir, 'empty.txt');
    await writeFile(file, '\n');
    await expect(loadOrCreatePassword(file)).rejects.toThrow('is empty');
  });
});
