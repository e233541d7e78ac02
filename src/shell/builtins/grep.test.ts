import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grep } from './grep.js';
import { runBuiltin, runReal } from '../../../test/helpers/file-builtin-ctx.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-grep-'));
  await writeFile(join(dir, 'a.txt'), 'Hello world\nfoo bar\nfoobar\nHELLO again\nthe end');
  await writeFile(join(dir, 'b.log'), 'nothing here\nfoo\n');
  await mkdir(join(dir, 'tree/sub'), { recursive: true });
  await writeFile(join(dir, 'tree/one.c'), 'int main() { return 0; }\n// foo\n');
  await writeFile(join(dir, 'tree/sub/two.h'), '#define FOO 1\nfoo();\n');
  await writeFile(join(dir, 'tree/sub/bin'), Buffer.from('foo\0bar\n'));
  await symlink('../a.txt', join(dir, 'tree/link'));
  await writeFile(join(dir, 'bin'), Buffer.from('ab\nfoo\0\nfoo\n'));
  await writeFile(join(dir, 'ctx.txt'), 'a1\nfoo\nb\nfoo\nc\nd\ne\nfoo\nf\ng\nh\ni\nfoo');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('grep, compared with GNU grep', () => {
  it.each([
    [['foo', 'a.txt']], [['-i', 'hello', 'a.txt']], [['-v', 'foo', 'a.txt']], [['-c', 'foo', 'a.txt', 'b.log']],
    [['-n', 'o', 'a.txt']], [['-l', 'foo', 'a.txt', 'b.log', 'bin']], [['-L', 'world', 'a.txt', 'b.log']],
    [['-H', 'foo', 'a.txt']], [['-h', 'foo', 'a.txt', 'b.log']], [['-w', 'foo', 'a.txt']], [['-x', 'foo', 'b.log']],
    [['-E', 'fo+(bar)?$', 'a.txt']], [['fo\\+\\(bar\\)\\?$', 'a.txt']], [['-F', 'o b', 'a.txt']], [['-e', 'end', '-e', 'Hello', 'a.txt']],
    [['-o', 'o.', 'a.txt']], [['-m', '1', 'foo', 'a.txt']], [['-c', 'zzz', 'a.txt']], [['zzz', 'a.txt']], [['-q', 'foo', 'a.txt']],
    [['-rn', 'foo', 'tree']], [['-r', 'foo', 'tree/']], [['-R', 'foo', 'tree']], [['-rl', 'foo', 'tree']], [['-rc', 'foo', 'tree']],
    [['-r', '--include=*.c', 'foo', 'tree']], [['-r', '--exclude-dir=sub', 'foo', 'tree']], [['foo', 'bin']], [['-c', 'foo', 'bin']],
    [['-n', '-A1', 'foo', 'ctx.txt']], [['-B1', 'foo', 'ctx.txt', 'ctx.txt']], [['-C1', '-v', 'foo', 'ctx.txt']],
    [['-m1', '-A2', 'foo', 'ctx.txt']], [['-c', '-A1', 'foo', 'ctx.txt']], [['-n', '-C', '2', 'foo', 'ctx.txt', 'a.txt']],
    [['-B3', 'f$', 'ctx.txt']], [['-A', '5', 'e', 'ctx.txt']],
    [['-m', '0', 'foo', 'a.txt']], [['-c', '-m0', 'foo', 'a.txt', 'nope']],
    [['-a', 'foo', 'bin']], [['-i', 'FOO', 'tree/sub/two.h']], [['^#', 'tree/sub/two.h']], [['-s', 'foo', 'nope', 'a.txt']],
  ])('grep %j', async (args) => {
    const ours = await runBuiltin(grep, args, { cwd: dir });
    const real = runReal('grep', args, { cwd: dir });
    // GNU walks directories in readdir order; ours sorts names. Same lines either way.
    const order = (text: string): string => (args.some((a) => /^-\w*[rR]/.test(a)) ? text.split('\n').sort().join('\n') : text);
    expect(order(ours.out)).toBe(order(real.out));
    expect(order(ours.err)).toBe(order(real.err));
    expect(ours.code).toBe(real.code);
  });
  it('searches . with -r and no operand, naming files without ./', async () => {
    const ours = await runBuiltin(grep, ['-r', 'FOO'], { cwd: join(dir, 'tree') });
    expect(ours.out).toBe(runReal('grep', ['-r', 'FOO'], { cwd: join(dir, 'tree') }).out);
    expect(ours.out).toBe('sub/two.h:#define FOO 1\n');
  });
  it('reads stdin and names it (standard input)', async () => {
    const input = 'x\nfoo\n';
    expect((await runBuiltin(grep, ['-H', 'foo'], { cwd: dir, stdin: input })).out).toBe('(standard input):foo\n');
    expect((await runBuiltin(grep, ['foo', '-'], { cwd: dir, stdin: input })).out).toBe('foo\n');
  });
  it.each([
    [['a\\(', 'a.txt'], 'grep: Unmatched ( or \\(\n'],
    [['-E', '[[:nope:]]', 'a.txt'], 'grep: Invalid character class name\n'],
    [['foo', 'nope'], 'grep: nope: No such file or directory\n'],
    [['foo', 'tree'], 'grep: tree: Is a directory\n'],
    [['-A', 'x', 'foo', 'a.txt'], 'grep: x: invalid context length argument\n'],
  ])('errors: %j', async (args, message) => {
    const ours = await runBuiltin(grep, args, { cwd: dir });
    expect(ours.err).toBe(message);
    expect(ours.err).toBe(runReal('grep', args, { cwd: dir }).err);
    expect(ours.code).toBe(2);
  });
  it('exit 2 for an error even when another file matched, 0 with -q', async () => {
    expect((await runBuiltin(grep, ['foo', 'nope', 'a.txt'], { cwd: dir })).code).toBe(2);
    expect((await runBuiltin(grep, ['-q', 'foo', 'nope', 'a.txt'], { cwd: dir })).code).toBe(0);
  });
  it('rejects a missing pattern and bad options with exit 2', async () => {
    expect((await runBuiltin(grep, [], { cwd: dir })).code).toBe(2);
    const r = await runBuiltin(grep, ['-Z', 'x'], { cwd: dir });
    expect(r.err).toBe("grep: invalid option -- 'Z'\nTry 'grep --help' for more information.\n");
    expect(r.code).toBe(2);
  });
  it('gives up on a line longer than 64 MiB instead of exhausting memory', async () => {
    const r = await runBuiltin(grep, ['x', '/dev/zero'], { cwd: dir });
    expect(r.err).toBe('grep: /dev/zero: line too long (over 64 MiB without a newline)\n');
    expect(r.code).toBe(2);
  });
  it('stops a recursive search on abort', async () => {
    const ac = new AbortController();
    ac.abort();
    expect((await runBuiltin(grep, ['-r', 'x', '/'], { cwd: dir, signal: ac.signal })).code).toBe(130);
  });
});

describe('grep output paths, compared with GNU grep', () => {
  // Files of their own under extra/, so the recursive cases above see the same tree.
  beforeAll(async () => {
    await mkdir(join(dir, 'extra'));
    await writeFile(join(dir, 'extra/pats'), 'foo\nend\n');
    await writeFile(join(dir, 'extra/empty'), '');
    const lines = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? `line ${i} with x and x` : `line ${i}`));
    await writeFile(join(dir, 'extra/big.txt'), `${lines.join('\n')}\n`);
  });
  it.each([
    [['-on', 'o.', 'a.txt', 'b.log']], [['-ov', 'foo', 'a.txt']], [['-ow', 'foo', 'a.txt']], [['-o', 'foo', 'bin']],
    [['-c', '-m', '1', 'foo', 'a.txt', 'ctx.txt']], [['-l', '-v', 'foo', 'a.txt', 'b.log']],
    [['-f', 'extra/pats', 'a.txt']], [['-f', 'extra/empty', 'a.txt']], [['-f', 'extra/nope', 'a.txt']], [['-e', 'foo\nend', 'a.txt']],
    [['-A1', 'foo', 'ctx.txt', 'b.log']], [['-B2', '-m2', 'foo', 'ctx.txt']], [['-x', '-F', 'foo', 'b.log', 'ctx.txt']],
    [['-n', 'x', 'extra/big.txt']], [['-c', 'x', 'extra/big.txt']], [['-o', 'x', 'extra/big.txt']], [['-m', '3', '-A', '1', 'x', 'extra/big.txt']],
    [['-rh', '--include=*.h', 'foo', 'tree']], [['-r', '--exclude=*.h', 'foo', 'tree']], [['-q', 'zzz', 'a.txt', 'b.log']], [['-qs', 'foo', 'nope']],
    [['-C', '1', '-c', 'foo', 'ctx.txt']],
  ])('grep %j', async (args) => {
    const ours = await runBuiltin(grep, args, { cwd: dir });
    const real = runReal('grep', args, { cwd: dir });
    const order = (text: string): string => (args.some((a) => /^-\w*r/.test(a)) ? text.split('\n').sort().join('\n') : text);
    expect(order(ours.out)).toBe(order(real.out));
    expect(ours.err).toBe(real.err);
    expect(ours.code).toBe(real.code);
  });
  it('reads patterns from -f and stdin together', async () => {
    expect((await runBuiltin(grep, ['-f', 'extra/pats', '-e', 'world'], { cwd: dir, stdin: 'world\nthe end\nnone\n' })).out).toBe('world\nthe end\n');
  });
});
