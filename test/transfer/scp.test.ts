// scp in both modes (SFTP, the default, and legacy `scp -O`) with the real OpenSSH
// client: a file and a directory tree with -r -p, both directions, modes and times kept.
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readFile, readdir, readlink, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goodArchive, makeTar } from '../fixtures/tar/build.js';
import { startTransferServer } from './harness.js';
import type { TransferServer } from './harness.js';
import { treeHash } from './tree-hash.js';

let server: TransferServer;
let local: string;
beforeAll(async () => {
  server = await startTransferServer();
  local = join(server.dir, 'local');
  await mkdir(local);
});
afterAll(async () => {
  await server?.close();
});

const MTIME = 1_600_000_000;

/** A small tree with distinct modes and an old mtime on everything. */
async function makeTree(root: string): Promise<void> {
  await mkdir(join(root, 'sub', 'deeper'), { recursive: true });
  await writeFile(join(root, 'run.sh'), '#!/bin/sh\necho hi\n');
  await chmod(join(root, 'run.sh'), 0o750);
  await writeFile(join(root, 'sub', 'data.bin'), randomBytes(300_000));
  await chmod(join(root, 'sub', 'data.bin'), 0o600);
  await writeFile(join(root, 'sub', 'deeper', 'empty'), '');
  await chmod(join(root, 'sub', 'deeper'), 0o711);
  for (const p of ['run.sh', 'sub/data.bin', 'sub/deeper/empty', 'sub/deeper', 'sub', '.']) await utimes(join(root, p), MTIME, MTIME);
}

/** path → [mode, mtime, content] for every entry, to compare two trees. */
async function describeTree(root: string): Promise<Record<string, [string, number, string]>> {
  const out: Record<string, [string, number, string]> = {};
  const walk = async (rel: string): Promise<void> => {
    for (const name of (await readdir(join(root, rel))).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      const st = await stat(join(root, path));
      const content = st.isFile() ? (await readFile(join(root, path))).toString('base64').slice(0, 64) + st.size : 'dir';
      out[path] = [(st.mode & 0o7777).toString(8), Math.floor(st.mtimeMs / 1000), content];
      if (st.isDirectory()) await walk(path);
    }
  };
  await walk('');
  return out;
}

for (const legacy of [false, true]) {
  const mode = legacy ? ['-O'] : [];
  const label = legacy ? 'scp -O (legacy protocol)' : 'scp (SFTP mode)';
  describe(label, () => {
    it('copies a file both ways', async () => {
      const name = `file-${legacy ? 'o' : 's'}.bin`;
      const data = randomBytes(1_500_000);
      await writeFile(join(local, name), data);
      let r = await server.scp([...mode, join(local, name), server.remote()]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect((await readFile(join(server.toolbox.dir, name))).equals(data)).toBe(true);
      r = await server.scp([...mode, server.remote(name), join(local, `${name}.back`)]);
      expect(r.code).toBe(0);
      expect((await readFile(join(local, `${name}.back`))).equals(data)).toBe(true);
    });

    it('copies a directory tree with -r -p both ways, keeping modes and times', async () => {
      const tag = legacy ? 'o' : 's';
      const src = join(local, `tree-${tag}`);
      await makeTree(src);
      let r = await server.scp([...mode, '-r', '-p', src, server.remote()]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const want = await describeTree(src);
      expect(await describeTree(join(server.toolbox.dir, `tree-${tag}`))).toEqual(want);
      r = await server.scp([...mode, '-r', '-p', server.remote(`tree-${tag}`), join(local, `back-${tag}`)]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(await describeTree(join(local, `back-${tag}`))).toEqual(want);
    });

    it('reports a missing remote file', async () => {
      const r = await server.scp([...mode, server.remote('no-such-file'), join(local, 'x')]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/No such file/);
    });

    it('unpacks a tarball sent to dev: and refuses a hostile one', async () => {
      await server.toolbox.clear();
      await writeFile(join(local, 'tools.tar'), await goodArchive());
      let r = await server.scp([...mode, join(local, 'tools.tar'), server.remote()]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(await readlink(join(server.toolbox.dir, 'hello'))).toBe('bin/hello');
      await expect(lstat(join(server.toolbox.dir, 'tools.tar'))).rejects.toThrow(/ENOENT/);

      await writeFile(join(local, 'evil.tar'), await makeTar([{ name: 'ok', body: 'x' }, { name: 'dev', type: 'block-device' }]));
      const before = await treeHash(server.toolbox.dir);
      r = await server.scp([...mode, join(local, 'evil.tar'), server.remote()]);
      expect(r.code).not.toBe(0);
      // The legacy protocol carries the reason to the user; SFTP mode only says "Failure".
      if (legacy) expect(r.stderr).toContain('scp: toolbox: refused entry "dev": device node (block-device) refused');
      expect(await treeHash(server.toolbox.dir)).toBe(before);
    });
  });
}

describe('scp -O edge cases', () => {
  it('a file onto an explicit new name, and into a subdirectory', async () => {
    await writeFile(join(local, 'one.txt'), 'one');
    await mkdir(join(server.toolbox.dir, 'into'), { recursive: true });
    expect((await server.scp(['-O', join(local, 'one.txt'), server.remote('renamed.txt')])).code).toBe(0);
    expect((await server.scp(['-O', join(local, 'one.txt'), server.remote('into')])).code).toBe(0);
    expect(await readFile(join(server.toolbox.dir, 'renamed.txt'), 'utf8')).toBe('one');
    expect(await readFile(join(server.toolbox.dir, 'into', 'one.txt'), 'utf8')).toBe('one');
  });

  it('overwriting keeps the old mode and leaves no temp file; a device is written directly; a dir is refused', async () => {
    await writeFile(join(local, 'two.txt'), 'two');
    await chmod(join(local, 'two.txt'), 0o644);
    await writeFile(join(server.toolbox.dir, 'kept.txt'), 'old');
    await chmod(join(server.toolbox.dir, 'kept.txt'), 0o751);
    expect((await server.scp(['-O', join(local, 'two.txt'), server.remote('kept.txt')])).code).toBe(0);
    expect(await readFile(join(server.toolbox.dir, 'kept.txt'), 'utf8')).toBe('two');
    expect((await stat(join(server.toolbox.dir, 'kept.txt'))).mode & 0o777).toBe(0o751);
    expect((await readdir(server.toolbox.dir)).filter((n) => n.includes('.scp-'))).toEqual([]);

    const r = await server.scp(['-O', join(local, 'two.txt'), server.remote('/dev/null')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);

    await mkdir(join(local, 'clash'));
    await writeFile(join(local, 'clash', 'x'), 'file');
    await mkdir(join(server.toolbox.dir, 'clash', 'x'), { recursive: true });
    const d = await server.scp(['-O', '-r', join(local, 'clash'), server.remote()]);
    expect(d.code).not.toBe(0);
    expect(d.stderr).toContain('clash/x: Is a directory');
    expect((await stat(join(server.toolbox.dir, 'clash', 'x'))).isDirectory()).toBe(true);
  });

  it('a directory without -r is refused by the client; several files need a directory', async () => {
    await writeFile(join(local, 'a.txt'), 'a');
    const r = await server.scp(['-O', join(local, 'a.txt'), join(local, 'one.txt'), server.remote('missing-dir')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Not a directory|No such file/);
    await rm(join(local, 'a.txt'));
  });
});
