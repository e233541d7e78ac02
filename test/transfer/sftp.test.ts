// SFTP backend with the real OpenSSH `sftp` client (batch mode) over loopback.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goodArchive, makeTar, sha256 } from '../fixtures/tar/build.js';
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

async function fileSha(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function expectOk(r: { code: number | null; stderr: string }): void {
  expect(r.stderr).not.toMatch(/error|fail|denied|no such/i);
  expect(r.code).toBe(0);
}

describe('sftp -b', () => {
  it('puts and gets a large random file; sha256 equal both ways', async () => {
    const size = 64 * 1024 * 1024;
    const src = join(local, 'big.bin');
    await writeFile(src, randomBytes(size));
    const started = Date.now();
    expectOk(await server.sftp(`put ${src} big.bin\nget big.bin ${join(local, 'back.bin')}\n`));
    const elapsed = (Date.now() - started) / 1000;
    console.log(`sftp put+get of 64 MiB: ${elapsed.toFixed(2)} s (${((2 * size) / 1048576 / elapsed).toFixed(0)} MiB/s)`);
    const want = await fileSha(src);
    expect(await fileSha(join(server.toolbox.dir, 'big.bin'))).toBe(want);
    expect(await fileSha(join(local, 'back.bin'))).toBe(want);
    await rm(join(server.toolbox.dir, 'big.bin'));
  }, 120_000);

  it('answers pipelined reads in order (scp in SFTP mode truncates otherwise)', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 5);
    await writeFile(join(server.toolbox.dir, 'ordered.bin'), data);
    for (let i = 0; i < 4; i++) {
      const r = await server.scp([server.remote('ordered.bin'), join(local, `ordered-${i}`)]);
      expect(r.code).toBe(0);
      expect(sha256(await readFile(join(local, `ordered-${i}`)))).toBe(sha256(data));
    }
    await rm(join(server.toolbox.dir, 'ordered.bin'));
  });

  it('starts in the toolbox dir; ls -l shows ls-style long names', async () => {
    await mkdir(join(server.toolbox.dir, 'sub'));
    await writeFile(join(server.toolbox.dir, 'sub', 'listed.txt'), 'hello');
    const r = await server.sftp('pwd\nls -l sub\n');
    expectOk(r);
    const out = r.stdout.toString();
    expect(out).toContain(`Remote working directory: ${server.toolbox.dir}`);
    expect(out).toMatch(/^-rw-r--r-- +1 \S+ +\S+ +5 \w{3} [ \d]\d \d\d:\d\d listed\.txt$/m);
  });

  it('mkdir, rename, chmod, ln -s, rm, rmdir', async () => {
    const tb = server.toolbox.dir;
    await writeFile(join(local, 'f.txt'), 'content');
    expectOk(await server.sftp([
      'mkdir d',
      `put ${join(local, 'f.txt')} d/f.txt`,
      'rename d/f.txt d/g.txt',
      'chmod 700 d/g.txt',
      'ln -s g.txt d/link',
      'ln d/g.txt d/hard',
      '',
    ].join('\n')));
    expect(await readFile(join(tb, 'd/g.txt'), 'utf8')).toBe('content');
    expect((await stat(join(tb, 'd/g.txt'))).mode & 0o777).toBe(0o700);
    expect(await readlink(join(tb, 'd/link'))).toBe('g.txt');
    expect((await stat(join(tb, 'd/hard'))).ino).toBe((await stat(join(tb, 'd/g.txt'))).ino);
    expectOk(await server.sftp('rm d/g.txt\nrm d/link\nrm d/hard\nrmdir d\n'));
    await expect(lstat(join(tb, 'd'))).rejects.toThrow(/ENOENT/);
  });

  it('reports errors with the right status', async () => {
    const r = await server.sftp('get does-not-exist /dev/null\n');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not found|No such file/i);
    const r2 = await server.sftp('rmdir also-missing\n');
    expect(r2.stderr).toMatch(/No such file/i);
  });

  it('df uses statvfs@openssh.com', async () => {
    const r = await server.sftp('df -h\n');
    expectOk(r);
    expect(r.stdout.toString()).toMatch(/Size\s+Used\s+Avail\s+\(root\)\s+%Capacity/);
  });

  it('reput and reget resume partial transfers', async () => {
    const src = join(local, 'resume.bin');
    const data = randomBytes(3 * 1024 * 1024 + 17);
    await writeFile(src, data);
    await writeFile(join(server.toolbox.dir, 'resume.bin'), data.subarray(0, 1024 * 1024));
    expectOk(await server.sftp(`reput ${src} resume.bin\n`));
    expect(await fileSha(join(server.toolbox.dir, 'resume.bin'))).toBe(await fileSha(src));
    await writeFile(join(local, 'partial.bin'), data.subarray(0, 2 * 1024 * 1024));
    expectOk(await server.sftp(`reget resume.bin ${join(local, 'partial.bin')}\n`));
    expect(await fileSha(join(local, 'partial.bin'))).toBe(await fileSha(src));
  });

  it('a tarball put at the top of the toolbox is unpacked and removed', async () => {
    await writeFile(join(local, 'tools.tar'), await goodArchive());
    expectOk(await server.sftp(`put ${join(local, 'tools.tar')}\n`));
    expect(await readlink(join(server.toolbox.dir, 'hello'))).toBe('bin/hello');
    await expect(lstat(join(server.toolbox.dir, 'tools.tar'))).rejects.toThrow(/ENOENT/);
    expect(server.events.some(([e, f]) => e === 'upload' && f.label === 'tools.tar')).toBe(true);
  });

  it('a hostile tarball fails the close and leaves the toolbox unchanged', async () => {
    await writeFile(join(local, 'evil.tar'), await makeTar([{ name: '../escape', body: 'x' }]));
    const before = await treeHash(server.toolbox.dir);
    const r = await server.sftp(`put ${join(local, 'evil.tar')}\n`);
    expect(r.code).not.toBe(0);
    expect(await treeHash(server.toolbox.dir)).toBe(before);
    expect(server.events.at(-1)).toEqual(['upload-refused', expect.objectContaining({ error: expect.stringContaining('"../escape"') })]);
    // The server keeps serving.
    expectOk(await server.sftp('ls\n'));
  });
});
