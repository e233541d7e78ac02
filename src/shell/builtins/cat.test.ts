import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cat } from './cat.js';
import { makeTestContext, runBuiltin, runReal } from '../../../test/helpers/file-builtin-ctx.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-cat-'));
  await writeFile(join(dir, 'a'), 'one\ntwo\n');
  await writeFile(join(dir, 'b'), '\nthree');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('cat', () => {
  it('concatenates files and stdin in order', async () => {
    const r = await runBuiltin(cat, ['a', '-', 'b'], { cwd: dir, stdin: 'in\n' });
    expect(r.out).toBe('one\ntwo\nin\n\nthree');
    expect(r.code).toBe(0);
  });
  it('reads stdin without operands', async () => {
    expect((await runBuiltin(cat, [], { cwd: dir, stdin: 'x\ny' })).out).toBe('x\ny');
  });
  it('numbers lines across files like GNU cat -n and -b', async () => {
    expect((await runBuiltin(cat, ['-n', 'a', 'b'], { cwd: dir })).out).toBe(
      '     1\tone\n     2\ttwo\n     3\t\n     4\tthree',
    );
    expect((await runBuiltin(cat, ['-b', 'a', 'b'], { cwd: dir })).out).toBe('     1\tone\n     2\ttwo\n\n     3\tthree');
  });
  it('is binary-safe on random bytes', async () => {
    const data = randomBytes(300_000);
    await writeFile(join(dir, 'rand'), data);
    const r = await runBuiltin(cat, ['rand'], { cwd: dir });
    expect(createHash('sha256').update(r.stdout).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
  });
  it('reports a missing file, goes on, and exits 1', async () => {
    const r = await runBuiltin(cat, ['/nope', 'a'], { cwd: dir });
    expect(r.err).toBe('cat: /nope: No such file or directory\n');
    expect(r.out).toBe('one\ntwo\n');
    expect(r.code).toBe(1);
  });
  it('says a directory is a directory', async () => {
    const r = await runBuiltin(cat, ['.'], { cwd: dir });
    expect(r.err).toBe('cat: .: Is a directory\n');
    expect(r.code).toBe(1);
  });
  it('rejects a bad option with a hint', async () => {
    const r = await runBuiltin(cat, ['-z'], { cwd: dir });
    expect(r.err).toBe("cat: invalid option -- 'z'\nTry 'cat --help' for more information.\n");
    expect(r.code).toBe(1);
  });
  it('returns 141 when the reader goes away (cat /dev/zero | head)', async () => {
    const stdout = new PassThrough();
    let seen = 0;
    stdout.on('data', (c: Buffer) => {
      seen += c.length;
      if (seen >= 1_000_000) stdout.destroy();
    });
    const t = makeTestContext({ cwd: dir, stdout });
    expect(await cat.run(['/dev/zero'], t.ctx)).toBe(141);
  });
  it('stops on abort with 130', async () => {
    const ac = new AbortController();
    const stdout = new PassThrough();
    stdout.resume();
    const t = makeTestContext({ cwd: dir, stdout, signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    expect(await cat.run(['/dev/zero'], t.ctx)).toBe(130);
  });
  it('stops reading stdin on abort', async () => {
    const ac = new AbortController();
    const stdin = new Readable({ read() {} });
    const t = makeTestContext({ cwd: dir, stdin, signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    expect(await cat.run([], t.ctx)).toBe(130);
  });
});

describe('cat -A -E -T -v -s, compared with GNU cat', () => {
  it.each([[['-A']], [['-E']], [['-T']], [['-v']], [['-e']], [['-t']], [['-s']], [['-sn']], [['-sb']], [['-nA']]])('cat %j', async (args) => {
    const input = Buffer.concat([Buffer.from('\n\n\nx\ty\r\n\n\n\nend\x01\x7f'), Buffer.from([0x80, 0xe9, 0xff, 0x0a, 0x0a]), Buffer.from('caf\u00e9\n\n')]);
    await writeFile(join(dir, 'show'), input);
    const ours = await runBuiltin(cat, [...args, 'show'], { cwd: dir });
    const real = runReal('cat', [...args, 'show'], { cwd: dir });
    expect(ours.stdout.equals(real.stdout)).toBe(true);
  });
});

describe('--help', () => {
  it('prints the usage wherever it appears among the options', async () => {
    const r = await runBuiltin(cat, ['-n', '--help'], { cwd: '/' });
    expect(r.out).toMatch(/^Usage: cat \[-nbsAETv\] \[FILE\]\.\.\.\n/);
    expect(r.code).toBe(0);
    expect((await runBuiltin(cat, ['--', '--help'], { cwd: '/' })).err).toBe('cat: --help: No such file or directory\n');
  });
});
