import { mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { touch, parseTouchDate, parseTouchStamp } from './touch.js';
import { runBuiltin } from '../../../test/helpers/file-builtin-ctx.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-touch-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('touch', () => {
  it('creates a missing file and updates an old one to now', async () => {
    await writeFile(join(dir, 'old'), 'keep');
    await utimes(join(dir, 'old'), new Date('2001-01-01'), new Date('2001-01-01'));
    const before = Date.now() - 1000;
    expect((await runBuiltin(touch, ['new', 'old'], { cwd: dir })).code).toBe(0);
    expect((await stat(join(dir, 'new'))).size).toBe(0);
    expect((await stat(join(dir, 'old'))).mtimeMs).toBeGreaterThan(before);
  });
  it('-d, -t and -r set given times; -m leaves atime, -c creates nothing', async () => {
    await runBuiltin(touch, ['-d', '2020-01-02T03:04:05Z', 'd'], { cwd: dir });
    expect((await stat(join(dir, 'd'))).mtime.toISOString()).toBe('2020-01-02T03:04:05.000Z');
    await runBuiltin(touch, ['-d', '@86400', 'e'], { cwd: dir });
    expect((await stat(join(dir, 'e'))).mtimeMs).toBe(86_400_000);
    await runBuiltin(touch, ['-r', 'e', 'f'], { cwd: dir });
    expect((await stat(join(dir, 'f'))).mtimeMs).toBe(86_400_000);
    await runBuiltin(touch, ['-t', '202001020304.05', 'g'], { cwd: dir });
    expect((await stat(join(dir, 'g'))).mtime.getTime()).toBe(new Date(2020, 0, 2, 3, 4, 5).getTime());
    await runBuiltin(touch, ['-m', '-d', '@0', 'e'], { cwd: dir });
    expect([(await stat(join(dir, 'e'))).mtimeMs, (await stat(join(dir, 'e'))).atimeMs]).toEqual([0, 86_400_000]);
    expect((await runBuiltin(touch, ['-c', 'ghost'], { cwd: dir })).code).toBe(0);
    await expect(stat(join(dir, 'ghost'))).rejects.toThrow();
  });
  it.each([
    [['-d', 'garbage', 'x'], "touch: invalid date format 'garbage'\n"],
    [['-t', '13011200', 'x'], "touch: invalid date format '13011200'\n"],
    [['/nope/x'], "touch: cannot touch '/nope/x': No such file or directory\n"],
    [[], "touch: missing file operand\nTry 'touch --help' for more information.\n"],
  ])('errors: %j', async (args, message) => {
    const r = await runBuiltin(touch, args, { cwd: dir });
    expect(r.err).toBe(message);
    expect(r.code).toBe(1);
  });
  it('parses -d relative dates', () => {
    const now = new Date('2026-11-27T10:00:00Z');
    expect(parseTouchDate('2 hours ago', now)?.toISOString()).toBe('2026-11-27T08:00:00.000Z');
    expect(parseTouchDate('1 day ago', now)?.toISOString()).toBe('2026-11-26T10:00:00.000Z');
    expect(parseTouchDate('90 min ago', now)?.toISOString()).toBe('2026-11-27T08:30:00.000Z');
    expect(parseTouchDate('2 fortnights ago', now)).toBeUndefined();
  });
  it('parses -t stamps with 2- and 4-digit years', () => {
    expect(parseTouchStamp('6901010000')?.getFullYear()).toBe(1969);
    expect(parseTouchStamp('6801010000')?.getFullYear()).toBe(2068);
    expect(parseTouchStamp('0229', new Date(2021, 0, 1))).toBeUndefined();
  });
});
