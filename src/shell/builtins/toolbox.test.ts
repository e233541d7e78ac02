import { mkdtemp, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { goodArchive, gzip, makeTar, sha256 } from '../../../test/fixtures/tar/build.js';
import { createToolbox } from '../../transfer/index.js';
import type { Toolbox } from '../../transfer/index.js';
import { makeTestContext } from '../../../test/helpers/file-builtin-ctx.js';
import type { TestContextOptions } from '../../../test/helpers/file-builtin-ctx.js';
import { toolbox } from './toolbox.js';

let base: string;
let box: Toolbox;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'bg-toolbox-builtin-'));
  box = await createToolbox({ dir: join(base, 'tb'), quotaBytes: 1 << 20 });
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function run(args: string[], options: Partial<TestContextOptions> = {}, withToolbox = true): Promise<{ code: number; out: string; err: string }> {
  const t = makeTestContext({ cwd: base, ...options });
  if (withToolbox) t.ctx.services.toolbox = box;
  const code = await toolbox.run(args, t.ctx);
  await new Promise((r) => setImmediate(r));
  return { code, out: t.stdout().toString(), err: t.stderr() };
}

describe('toolbox built-in', () => {
  it('add reads a tar.gz from stdin and prints the manifest', async () => {
    const archive = gzip(await goodArchive());
    const r = await run(['add'], { stdin: archive });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`toolbox: unpacked the archive read from standard input into ${box.dir}`);
    expect(r.out).toMatch(/files +3\n/);
    expect(r.out).toContain(`sha256  ${sha256(archive)}`);
    expect(await readlink(join(box.dir, 'hello'))).toBe('bin/hello');
  });

  it('add refuses a hostile archive with the entry named, exit 1', async () => {
    const r = await run(['add'], { stdin: await makeTar([{ name: '../x', body: 'x' }]) });
    expect(r.code).toBe(1);
    expect(r.err).toBe('toolbox: stdin: refused entry "../x": path contains ".."\n');
  });

  it('list shows files with sizes; clear empties', async () => {
    await run(['add'], { stdin: await goodArchive() });
    const listed = await run(['list']);
    expect(listed.out).toMatch(/^-rwxr-xr-x +23  bin\/hello$/m);
    expect(listed.out).toMatch(/^lrwxrwxrwx +9  hello$/m);
    expect(listed.out).toMatch(/^3 files, 29 bytes/m);
    expect((await run(['clear'])).code).toBe(0);
    expect((await run(['list'])).out).toMatch(/^0 files, 0 bytes/);
  });

  it('explains bad usage with exit 2, and --help', async () => {
    expect(await run([])).toMatchObject({ code: 2, err: expect.stringContaining('missing subcommand') });
    expect(await run(['frob'])).toMatchObject({ code: 2, err: expect.stringContaining('unknown subcommand "frob"') });
    expect((await run(['--help'])).out).toContain('usage: toolbox add [FILE]');
    expect(await run(['list'], {}, false)).toMatchObject({ code: 1, err: expect.stringContaining('no toolbox') });
  });
});
