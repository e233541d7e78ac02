import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { md5sum } from './md5sum.js';
import { sha256sum } from './sha256sum.js';
import { runBuiltin, runReal } from '../../../test/helpers/file-builtin-ctx.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-sum-'));
  await writeFile(join(dir, 'rand'), randomBytes(300_000));
  await writeFile(join(dir, 'a'), 'hi\n');
  await writeFile(join(dir, 'back\\slash'), 'x');
  await writeFile(join(dir, 'new\nline'), 'y');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.each([
  ['sha256sum', sha256sum],
  ['md5sum', md5sum],
] as const)('%s, compared with coreutils', (name, builtin) => {
  it.each([[['rand', 'a']], [['-b', 'a']], [['--tag', 'a']], [['back\\slash', 'new\nline']]])('%j', async (args) => {
    const ours = await runBuiltin(builtin, args, { cwd: dir });
    const real = runReal(name, args, { cwd: dir });
    expect(ours.out).toBe(real.out);
    expect(ours.code).toBe(0);
  });
  it('hashes stdin as -', async () => {
    const input = randomBytes(70_000);
    expect((await runBuiltin(builtin, [], { cwd: dir, stdin: input })).out).toBe(runReal(name, [], { cwd: dir, input }).out);
    expect((await runBuiltin(builtin, ['-'], { cwd: dir, stdin: input })).out).toBe(runReal(name, ['-'], { cwd: dir, input }).out);
  });
  it('checks a list (-c) like coreutils, including failures', async () => {
    const good = runReal(name, ['rand', 'a', 'back\\slash'], { cwd: dir }).out;
    const tampered = good.replace(/^[0-9a-f]/m, (c) => (c === '0' ? '1' : '0'));
    await writeFile(join(dir, 'sums'), `${tampered}${'0'.repeat(name === 'md5sum' ? 32 : 64)}  missing\nnot a checksum line\n`);
    const ours = await runBuiltin(builtin, ['-c', 'sums'], { cwd: dir });
    const real = runReal(name, ['-c', 'sums'], { cwd: dir });
    expect(ours.out).toBe(real.out);
    expect(ours.err).toBe(real.err);
    expect(ours.code).toBe(real.code);
    expect(ours.code).toBe(1);
    await writeFile(join(dir, 'ok'), good);
    const passing = await runBuiltin(builtin, ['-c', '--quiet', 'ok'], { cwd: dir });
    expect([passing.out, passing.code]).toEqual(['', 0]);
  });
  it('says when no line is a checksum line', async () => {
    const r = await runBuiltin(builtin, ['-c'], { cwd: dir, stdin: 'garbage\n' });
    expect(r.err).toBe(`${name}: 'standard input': no properly formatted checksum lines found\n`);
    expect(r.code).toBe(1);
  });
  it('reports a missing file', async () => {
    const r = await runBuiltin(builtin, ['nope', 'a'], { cwd: dir });
    expect(r.err).toBe(`${name}: nope: No such file or directory\n`);
    expect(r.out).toBe(runReal(name, ['a'], { cwd: dir }).out);
    expect(r.code).toBe(1);
  });
});
