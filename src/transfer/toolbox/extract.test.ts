// The toolbox's add(): safe, atomic extraction (DESIGN.md "Toolbox").
import { spawn } from 'node:child_process';
import { copyFile, lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { goodArchive, gzip, hostileArchives, makeTar, sha256 } from '../../../test/fixtures/tar/build.js';
import { treeHash } from '../../../test/transfer/tree-hash.js';
import { createToolbox } from '../index.js';
import type { Toolbox } from '../index.js';

const QUOTA = 4 * 1024 * 1024;
let base: string;
let dir: string;
let toolbox: Toolbox;
let events: Array<[string, Record<string, unknown>]>;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'bg-extract-'));
  dir = join(base, 'toolbox');
  events = [];
  toolbox = await createToolbox({ dir, quotaBytes: QUOTA, audit: (e, f) => events.push([e, f]) });
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const add = (data: Buffer, label = 'test.tar'): ReturnType<Toolbox['add']> => toolbox.add(Readable.from([data]), label);

describe('toolbox add', () => {
  it('unpacks a tar: files, modes, relative symlinks; reports the manifest', async () => {
    const archive = await goodArchive();
    const manifest = await add(archive);
    const bytes = '#!/bin/true\necho hello\n'.length + 'notes\n'.length;
    expect(manifest).toMatchObject({ files: 3, bytes, sha256: sha256(archive) });
    expect(await readFile(join(dir, 'bin/hello'), 'utf8')).toContain('echo hello');
    expect((await lstat(join(dir, 'bin/hello'))).mode & 0o7777).toBe(0o755);
    expect(await readlink(join(dir, 'hello'))).toBe('bin/hello');
    expect(await readFile(join(dir, 'hello'), 'utf8')).toContain('echo hello');
    expect(toolbox.pathDirs()).toEqual([dir, join(dir, 'bin')]);
    expect(events.find(([e]) => e === 'upload')?.[1]).toMatchObject({ label: 'test.tar', files: 3, sha256: sha256(archive) });
    // Nothing left in the staging area.
    expect(await readdir(join(base, '.toolbox.staging'))).toEqual([]);
  });

  it('unpacks a tar.gz the same way, hashing the compressed bytes', async () => {
    const archive = gzip(await goodArchive());
    const manifest = await add(archive, 'x.tgz');
    expect(manifest.sha256).toBe(sha256(archive));
    expect(await readlink(join(dir, 'hello'))).toBe('bin/hello');
  });

  it('drops setuid, setgid and sticky bits', async () => {
    await add(await makeTar([{ name: 'suid', body: 'x', mode: 0o6755 }, { name: 'd/', type: 'directory', mode: 0o1777 }]));
    expect((await lstat(join(dir, 'suid'))).mode & 0o7777).toBe(0o755);
    expect((await lstat(join(dir, 'd'))).mode & 0o7000).toBe(0);
  });

  it('keeps hardlinks inside the archive', async () => {
    await add(await makeTar([{ name: 'a', body: 'same' }, { name: 'b', type: 'link', linkname: 'a' }]));
    const [a, b] = await Promise.all([lstat(join(dir, 'a')), lstat(join(dir, 'b'))]);
    expect(a.ino).toBe(b.ino);
  });

  it('merges into what is there and replaces same-named files', async () => {
    await add(await makeTar([{ name: 'keep', body: 'old' }, { name: 'tool', body: 'v1' }]));
    await add(await makeTar([{ name: 'tool', body: 'v2' }, { name: 'new', body: 'n' }]));
    expect(await readFile(join(dir, 'keep'), 'utf8')).toBe('old');
    expect(await readFile(join(dir, 'tool'), 'utf8')).toBe('v2');
    expect(await readFile(join(dir, 'new'), 'utf8')).toBe('n');
  });

  it('replaces a running binary without "text file busy"', async () => {
    await copyFile('/bin/sleep', join(dir, 'sleep'));
    const child = spawn(join(dir, 'sleep'), ['5'], { detached: true, stdio: 'ignore' });
    try {
      await new Promise((r) => child.once('spawn', r));
      await add(await makeTar([{ name: 'sleep', body: '#!/bin/true\n', mode: 0o755 }]));
      expect(await readFile(join(dir, 'sleep'), 'utf8')).toBe('#!/bin/true\n');
      expect(child.exitCode).toBeNull();
    } finally {
      process.kill(-child.pid!, 'SIGKILL');
    }
  });

  it('counts replaced files against the quota only once', async () => {
    const half = Buffer.alloc(QUOTA * 0.6, 1);
    await add(await makeTar([{ name: 'big', body: half }]));
    // Replacing `big` with a file of the same size fits; adding a second one would not.
    await add(await makeTar([{ name: 'big', body: half }]));
    await expect(add(await makeTar([{ name: 'big2', body: half }]))).rejects.toThrow(/quota exceeded at entry "big2"/);
  });

  it('links busybox applets beside a busybox in the archive', async () => {
    const busybox = await readFile('/bin/busybox');
    const manifest = await add(await makeTar([{ name: 'busybox', body: busybox, mode: 0o755 }, { name: 'sh', type: 'symlink', linkname: 'busybox' }]));
    expect(manifest.applets).toBeGreaterThan(50);
    expect(await readlink(join(dir, 'ls'))).toBe('busybox');
    expect(await readlink(join(dir, 'sh'))).toBe('busybox');
    expect(manifest.files).toBe(2);
  });

  it('installs a busybox for another architecture, without applet links, and says why', async () => {
    const { makeElf } = await import('../../../busybox-fetch/elf-fixture.js');
    const manifest = await add(await makeTar([{ name: 'busybox', body: makeElf({ elfClass: 64, machine: 183 }), mode: 0o755 }]));
    expect(manifest.applets).toBe(0);
    expect(manifest.appletsSkipped).toMatch(/cannot run busybox here|busybox --list failed/);
    expect((await lstat(join(dir, 'busybox'))).isFile()).toBe(true);
  });

  describe('refuses hostile archives and leaves the toolbox unchanged', () => {
    for (const hostile of hostileArchives(QUOTA)) {
      it(hostile.name, async () => {
        await add(await goodArchive());
        const before = await treeHash(dir);
        await expect(add(await hostile.archive(), `${hostile.name}.tar`)).rejects.toThrow(hostile.message);
        expect(await treeHash(dir)).toBe(before);
        expect(events.at(-1)?.[0]).toBe('upload-refused');
        await expect(lstat('/tmp/bg-absolute-escape')).rejects.toThrow(/ENOENT/);
        await expect(lstat(join(base, 'escaped'))).rejects.toThrow(/ENOENT/);
        expect(await readdir(join(base, '.toolbox.staging'))).toEqual([]);
      });
    }
  });

  it('refuses to write through a symlink already in the toolbox', async () => {
    await mkdir(join(base, 'outside'));
    await symlink(join(base, 'outside'), join(dir, 'out'));
    const before = await treeHash(dir);
    await expect(add(await makeTar([{ name: 'out/x', body: 'pwned' }]))).rejects.toThrow(/"out".*symlink/);
    expect(await readdir(join(base, 'outside'))).toEqual([]);
    expect(await treeHash(dir)).toBe(before);
  });

  it('refuses a file where the toolbox has a directory', async () => {
    await mkdir(join(dir, 'x'));
    await writeFile(join(dir, 'x', 'keep'), 'k');
    await expect(add(await makeTar([{ name: 'x', body: 'file' }]))).rejects.toThrow(/"x".*directory of that name/);
  });

  it('stops a cut stream and keeps the old toolbox', async () => {
    await add(await goodArchive());
    const before = await treeHash(dir);
    const whole = await makeTar([{ name: 'big', body: Buffer.alloc(200_000, 3) }]);
    const input = new Readable({ read() {} });
    input.push(whole.subarray(0, 100_000));
    const pending = toolbox.add(input, 'cut.tar');
    setTimeout(() => input.destroy(new Error('connection lost')), 20);
    await expect(pending).rejects.toThrow(/connection lost|aborted|truncated/);
    expect(await treeHash(dir)).toBe(before);
  });

  it('takes a directory whose header claims a size (no data follows it) without hanging', async () => {
    const archive = await makeTar([{ name: 'd/', type: 'directory', mode: 0o755 }, { name: 'd/f', body: 'after\n' }]);
    withHeaderSize(archive, 0, 0o1000);
    const manifest = await add(archive);
    expect(manifest.files).toBe(1);
    expect(await readFile(join(dir, 'd/f'), 'utf8')).toBe('after\n');
  });

  it('clears the toolbox', async () => {
    await add(await goodArchive());
    await toolbox.clear();
    expect(await toolbox.list()).toEqual([]);
  });
});

/** Rewrites the ustar size field (and checksum) of the header at `offset`, in place. */
function withHeaderSize(archive: Buffer, offset: number, size: number): void {
  const header = archive.subarray(offset, offset + 512);
  header.write(size.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
  header.fill(' ', 148, 156);
  const sum = header.reduce((a, b) => a + b, 0);
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
}
