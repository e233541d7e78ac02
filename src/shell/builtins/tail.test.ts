import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tail } from './tail.js';
import { makeTestContext, runBuiltin, runReal } from '../../../test/helpers/file-builtin-ctx.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-tail-'));
  // Longer than one 64 KiB read so the backwards scan crosses chunks.
  await writeFile(join(dir, 'big'), `${Array.from({ length: 100_000 }, (_, i) => `line ${i + 1}`).join('\n')}\n`);
  await writeFile(join(dir, 'nonl'), 'a\nb\nc');
  await writeFile(join(dir, 'short'), 'x\ny\n');
  await writeFile(join(dir, 'empty'), '');
  await writeFile(join(dir, 'blank'), '\n\n\n');
  await writeFile(join(dir, 'rand'), randomBytes(150_000));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const cases: string[][] = [
  ['big'], ['-n', '3', 'big'], ['-n', '15000', 'big'], ['-n', '+99995', 'big'], ['-n', '+1', 'short'], ['-c', '20', 'big'],
  ['-c', '+5', 'short'], ['-c', '70000', 'big'], ['-n', '2', 'nonl'], ['-n', '0', 'big'], ['-3', 'big'], ['+2', 'short'],
  ['-n', '2', 'empty'], ['-n', '2', 'blank'], ['-n', '1', 'short', 'nonl'], ['-q', '-n', '1', 'short', 'nonl'], ['-n', '7', 'rand'],
  ['-c', '1K', 'rand'],
];

describe('tail, compared with GNU tail', () => {
  it.each(cases)('tail %j (file)', async (...args) => {
    const ours = await runBuiltin(tail, args, { cwd: dir });
    const real = runReal('tail', args, { cwd: dir });
    expect(ours.stdout.equals(real.stdout)).toBe(true);
    expect(ours.code).toBe(real.code);
  });
  it.each(cases.filter((c) => c.length === 3 || c.length === 2))('tail %j (from a pipe)', async (...args) => {
    const file = args.at(-1)!;
    const { readFile } = await import('node:fs/promises');
    const input = await readFile(join(dir, file));
    const flags = args.slice(0, -1);
    const ours = await runBuiltin(tail, flags, { cwd: dir, stdin: input });
    const real = runReal('tail', flags, { cwd: dir, input });
    expect(ours.stdout.equals(real.stdout)).toBe(true);
  });
  it('reports a missing file', async () => {
    const r = await runBuiltin(tail, ['nope'], { cwd: dir });
    expect(r.err).toBe('tail: nope: No such file or directory\n');
    expect(r.code).toBe(1);
  });
  it('rejects a bad count', async () => {
    const r = await runBuiltin(tail, ['-n', 'abc', 'big'], { cwd: dir });
    expect(r.err).toContain("tail: invalid number of lines: 'abc'");
    expect(r.code).toBe(1);
  });
  it('-f prints what is appended, notices truncation, and ends with 130 on abort', async () => {
    const path = join(dir, 'log');
    await writeFile(path, 'first\n');
    const ac = new AbortController();
    const stdout = new PassThrough();
    let seen = '';
    stdout.on('data', (c: Buffer) => (seen += c.toString()));
    const t = makeTestContext({ cwd: dir, stdout, signal: ac.signal });
    const running = tail.run(['-f', '-s', '0.02', 'log'], t.ctx);
    const waitFor = async (text: string): Promise<void> => {
      for (let i = 0; i < 200 && !seen.includes(text); i++) await new Promise((r) => setTimeout(r, 10));
      expect(seen).toContain(text);
    };
    await waitFor('first\n');
    await appendFile(path, 'second\n');
    await waitFor('second\n');
    await truncate(path, 0);
    await new Promise((r) => setTimeout(r, 60));
    await appendFile(path, 'third\n');
    await waitFor('third\n');
    ac.abort();
    expect(await running).toBe(130);
    expect(seen).toBe('first\nsecond\nthird\n');
    expect(t.stderr()).toBe('tail: log: file truncated\n');
  });
});
