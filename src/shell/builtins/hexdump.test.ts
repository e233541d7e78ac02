import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexdump } from './hexdump.js';
import { xxd } from './xxd.js';
import { runBuiltin, runReal } from '../../../test/helpers/file-builtin-ctx.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-hex-'));
  await writeFile(join(dir, 'rand'), randomBytes(70_001));
  await writeFile(join(dir, 'hi'), 'hi\n');
  await writeFile(join(dir, 'odd'), 'hello world, this is a test of hexdump!!\n');
  await writeFile(join(dir, 'zeros'), Buffer.concat([Buffer.alloc(64), Buffer.from('x'), Buffer.alloc(40)]));
  await writeFile(join(dir, 'empty'), '');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('hexdump, compared with util-linux hexdump', () => {
  it.each([
    [['-C', 'rand']], [['rand']], [['-C', 'hi']], [['hi']], [['odd']], [['-C', 'odd']], [['-C', 'zeros']], [['zeros']],
    [['-C', '-v', 'zeros']], [['-C', 'empty']], [['-C', '-n', '20', 'odd']], [['-C', '-s', '5', 'odd']], [['-C', 'hi', 'odd']],
  ])('hexdump %j', async (args) => {
    const ours = await runBuiltin(hexdump, args, { cwd: dir });
    const real = runReal('hexdump', args, { cwd: dir });
    expect(ours.out).toBe(real.out);
  });
  it('reads stdin', async () => {
    const input = randomBytes(1000);
    expect((await runBuiltin(hexdump, ['-C'], { cwd: dir, stdin: input })).out).toBe(runReal('hexdump', ['-C'], { cwd: dir, input }).out);
  });
  it('reports a missing file', async () => {
    const r = await runBuiltin(hexdump, ['-C', 'nope'], { cwd: dir });
    expect([r.err, r.code]).toEqual(['hexdump: nope: No such file or directory\n', 1]);
  });
});

describe('xxd, compared with vim xxd', () => {
  it.each([
    [['rand']], [['hi']], [['odd']], [['zeros']], [['-p', 'rand']], [['-p', 'hi']], [['-c', '8', 'odd']], [['-g', '1', 'odd']],
    [['-g', '4', 'odd']], [['-g', '0', 'odd']], [['-c', '10', '-g', '3', 'odd']], [['-l', '10', 'odd']], [['-s', '3', 'odd']], [['-u', 'odd']], [['empty']],
  ])('xxd %j', async (args) => {
    const ours = await runBuiltin(xxd, args, { cwd: dir });
    const real = runReal('xxd', args, { cwd: dir });
    expect(ours.out).toBe(real.out);
  });
  it('rejects a bad column count', async () => {
    const r = await runBuiltin(xxd, ['-c', 'x', 'hi'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.err).toContain("xxd: invalid number of columns: 'x'");
  });
});
