import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wc } from './wc.js';
import { runBuiltin, runReal } from '../../../test/helpers/file-builtin-ctx.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-wc-'));
  await writeFile(join(dir, 'a'), 'hello world\n  two   words here\n\tlast');
  await writeFile(join(dir, 'b'), '');
  // ASCII with control bytes: GNU's C-locale word rules (bytes >= 0x80 differ on purpose).
  await writeFile(join(dir, 'rand'), Buffer.from(randomBytes(100_000).map((b) => b & 0x7f)));
  await writeFile(join(dir, 'utf8'), 'grüße, 世界\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('wc, compared with GNU wc', () => {
  it.each([
    [['a']], [['-l', 'a']], [['-w', 'a']], [['-c', 'a']], [['-lc', 'a']], [['a', 'b']], [['-l', 'a', 'b', 'rand']],
    [['rand']], [['-c', 'utf8']], [['-L', 'a']], [['utf8']],
  ])('wc %j', async (args) => {
    const ours = await runBuiltin(wc, args, { cwd: dir });
    const real = runReal('wc', args, { cwd: dir, locale: args.includes('utf8') ? 'C.utf8' : 'C' });
    expect(ours.out).toBe(real.out);
    expect(ours.code).toBe(real.code);
  });
  it.each([[[]], [['-l']], [['-lw']], [['-', 'a']]])('wc %j on stdin', async (args) => {
    const input = 'one two\nthree\n';
    const ours = await runBuiltin(wc, args, { cwd: dir, stdin: input });
    // GNU wc sees a pipe as stdin too.
    const real = runReal('wc', args, { cwd: dir, input });
    expect(ours.out).toBe(real.out);
  });
  it('counts UTF-8 characters with -m', async () => {
    expect((await runBuiltin(wc, ['-m'], { cwd: dir, stdin: 'grüße\n' })).out).toBe('6\n');
  });
  it('reports a missing file and still totals the rest', async () => {
    const r = await runBuiltin(wc, ['-l', 'a', 'nope'], { cwd: dir });
    expect(r.err).toBe('wc: nope: No such file or directory\n');
    expect(r.out).toBe(runReal('wc', ['-l', 'a', 'nope'], { cwd: dir }).out);
    expect(r.out).toBe(' 2 a\n 2 total\n');
    expect(r.code).toBe(1);
  });
});
