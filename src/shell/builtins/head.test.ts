import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cat } from './cat.js';
import { head } from './head.js';
import { nodeFileSystem } from '../files/index.js';
import type { FileSystem } from '../files/index.js';
import { makeTestContext, runBuiltin, runReal } from '../../../test/helpers/file-builtin-ctx.js';

let dir: string;
const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n');
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-head-'));
  await writeFile(join(dir, 'lines'), `${lines}\n`);
  await writeFile(join(dir, 'nonl'), 'a\nb\nc');
  await writeFile(join(dir, 'empty'), '');
  await writeFile(join(dir, 'rand'), randomBytes(200_000));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('head, compared with GNU head', () => {
  it.each([
    [['lines']],
    [['-n', '3', 'lines']],
    [['-n3', 'lines']],
    [['-5', 'lines']],
    [['-c', '17', 'lines']],
    [['-c', '1K', 'rand']],
    [['-n', '0', 'lines']],
    [['-n', '2', 'nonl']],
    [['-n', '5', 'nonl']],
    [['-n', '2', 'lines', 'nonl']],
    [['-q', '-n', '1', 'lines', 'nonl']],
    [['-v', '-n', '1', 'lines']],
    [['-n', '1', 'empty', 'lines']],
    [['-n', '50', 'rand']],
    [['-n', '-3', 'lines']],
    [['-n', '-40', 'lines']],
    [['-c', '-5', 'nonl']],
    [['-c', '-100000', 'rand']],
    [['-n', '-1', 'nonl']],
  ])('head %j', async (args) => {
    const ours = await runBuiltin(head, args, { cwd: dir });
    const real = runReal('head', args, { cwd: dir });
    expect(ours.stdout.equals(real.stdout)).toBe(true);
    expect(ours.code).toBe(real.code);
  });
  it('reads stdin', async () => {
    expect((await runBuiltin(head, ['-n', '2'], { cwd: dir, stdin: 'a\nb\nc\n' })).out).toBe('a\nb\n');
  });
  it('closes every file it opened, also when the first chunk already held enough (headers)', async () => {
    let open = 0;
    const counting: FileSystem = {
      ...nodeFileSystem,
      open: async (...args: Parameters<FileSystem['open']>) => {
        const file = await nodeFileSystem.open(...args);
        open++;
        const close = file.close.bind(file);
        return Object.assign(file, { close: () => (open--, close()) });
      },
    };
    const run = await runBuiltin(head, ['-n', '1', 'lines', 'nonl', 'lines'], { cwd: dir, fs: counting });
    expect(run.out).toBe('==> lines <==\nline 1\n\n==> nonl <==\na\n\n==> lines <==\nline 1\n');
    expect(open).toBe(0);
  });
  it('reports a missing file and still prints the others', async () => {
    const r = await runBuiltin(head, ['-n', '1', 'nope', 'nonl'], { cwd: dir });
    expect(r.err).toBe('head: nope: No such file or directory\n');
    expect(r.out).toBe('==> nonl <==\na\n');
    expect(r.code).toBe(1);
  });
  it.each([
    [['-n', 'x'], "head: invalid number of lines: 'x'"],
    [['-c', '-3q'], "head: invalid number of bytes: '-3q'"],
    [['-n', '--5'], "head: invalid number of lines: '--5'"],
    [['-z'], "head: invalid option -- 'z'"],
  ])('rejects %j', async (args, message) => {
    const r = await runBuiltin(head, args, { cwd: dir });
    expect(r.err).toBe(`${message}\nTry 'head --help' for more information.\n`);
    expect(r.code).toBe(1);
  });
  it('closes its input early so `cat /dev/zero | head -c 1000000` ends', async () => {
    // The pipe between the two built-ins, as the interpreter makes it.
    const pipe = new PassThrough();
    const catCtx = makeTestContext({ cwd: dir, stdout: pipe });
    const headCtx = makeTestContext({ cwd: dir, stdin: pipe });
    const [catCode, headCode] = await Promise.all([cat.run(['/dev/zero'], catCtx.ctx), head.run(['-c', '1000000'], headCtx.ctx)]);
    await new Promise((r) => setImmediate(r));
    expect(headCtx.stdout().length).toBe(1_000_000);
    expect(headCode).toBe(0);
    expect(catCode).toBe(141);
  });
  it('leaves stdin alone when it read to the end', async () => {
    const stdin = Readable.from([Buffer.from('a\n')]);
    const t = makeTestContext({ cwd: dir, stdin });
    expect(await head.run(['-n', '5'], t.ctx)).toBe(0);
    expect(stdin.destroyed || stdin.readableEnded).toBe(true);
  });
});
