// File transfer and the toolbox through the real breakglassd, with OpenSSH's ssh,
// scp and sftp, as the checks describe them.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goodArchive, gzip, hostileArchives, makeTar, sha256 } from '../fixtures/tar/build.js';
import { DIST, run, startServer, waitFor } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { makeBusyboxDeb } from './busybox-deb.js';
import { treeHash } from './tree-hash.js';

const QUOTA = 8 * 1024 * 1024;
let server: TestServer;
let local: string;

beforeAll(async () => {
  server = await startServer({ args: ['--toolbox-quota', String(QUOTA)] });
  local = join(server.dir, 'local');
  await mkdir(local);
});
afterAll(async () => {
  await server?.stop();
});

const remote = (path = ''): string => `root@127.0.0.1:${path}`;
const scp = (args: string[]): ReturnType<typeof run> => run('scp', [...server.sshOptions(), '-P', String(server.port), ...args], { timeoutMs: 60_000 });
const sftp = (batch: string): ReturnType<typeof run> =>
  run('sftp', [...server.sshOptions(), '-P', String(server.port), '-b', '-', 'root@127.0.0.1'], { input: batch, timeoutMs: 60_000 });
const stagingLeft = async (): Promise<string[]> => readdir(join(server.dir, '.toolbox.staging')).then((names) => names.filter((n) => n.startsWith('upload-')));

describe('through breakglassd', () => {
  it('sftp: put/get, ls -l, df, in the toolbox dir', async () => {
    const data = randomBytes(4 * 1024 * 1024);
    await writeFile(join(local, 'blob'), data);
    const r = await sftp(`put ${join(local, 'blob')}\nls -l\nget blob ${join(local, 'blob.back')}\nrm blob\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(/^-rw-r--r-- +1 +\S+ +\S+ +4194304 .* blob$/m);
    expect(sha256(await readFile(join(local, 'blob.back')))).toBe(sha256(data));
  });

  it('sftp: df (statvfs@openssh.com, announced in VERSION)', async () => {
    const r = await sftp('df\n');
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toMatch(/Size\s+Used\s+Avail/);
  });

  it('scp and scp -O: a file both ways', async () => {
    for (const mode of [[], ['-O']]) {
      const data = randomBytes(500_000);
      await writeFile(join(local, 'f'), data);
      expect(await scp([...mode, join(local, 'f'), remote('f')])).toMatchObject({ code: 0, stderr: '' });
      expect(await scp([...mode, remote('f'), join(local, 'f.back')])).toMatchObject({ code: 0, stderr: '' });
      expect(sha256(await readFile(join(local, 'f.back')))).toBe(sha256(data));
    }
    await server.ssh('rm f');
  });

  it('busybox-fetch, scp debug-amd64.tar dev:, then busybox and its sh run', async () => {
    // Offline: the package is built from this host's static busybox (see busybox-fetch.test.ts).
    await makeBusyboxDeb(join(local, 'busybox-static.deb'));
    const out = join(local, 'debug-amd64.tar');
    const fetched = await run(process.execPath, [join(DIST, 'busybox-fetch.js'), '--arch', 'amd64', '--deb', join(local, 'busybox-static.deb'), '--out', out]);
    expect(fetched.code).toBe(0);
    const r = await scp([out, remote()]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(server.log()).toContain(sha256(await readFile(out)));
    const uname = await server.ssh('busybox uname -m');
    expect(uname.stdout.toString()).toBe('x86_64\n');
    const sh = await server.ssh('sh -c "echo from-busybox-sh"');
    expect(sh.stdout.toString()).toBe('from-busybox-sh\n');
    expect(sh.code).toBe(0);
  }, 60_000);

  it('ssh dev toolbox add < tools.tar.gz prints the manifest; toolbox list shows it', async () => {
    const archive = gzip(await goodArchive());
    const r = await server.ssh('toolbox add', { input: archive });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toContain(`sha256  ${sha256(archive)}`);
    expect(r.stdout.toString()).toMatch(/files +3/);
    const list = await server.ssh('toolbox list');
    expect(list.stdout.toString()).toMatch(/^-rwxr-xr-x +23 {2}bin\/hello$/m);
    expect(await readFile(join(server.toolboxDir, 'hello'), 'utf8')).toContain('echo hello');
  });

  describe('hostile archives via ssh toolbox add: refused, toolbox unchanged', () => {
    for (const hostile of hostileArchives(QUOTA)) {
      it(hostile.name, async () => {
        const before = await treeHash(server.toolboxDir);
        const r = await server.ssh('toolbox add', { input: await hostile.archive(), timeoutMs: 60_000 });
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(hostile.message);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(await treeHash(server.toolboxDir)).toBe(before);
      });
    }
  });

  describe('an upload killed half-way leaves the toolbox unchanged; the server keeps serving', () => {
    const cases: Array<[string, (tar: string) => string[]]> = [
      ['scp (SFTP)', (tar) => ['scp', ...server.sshOptions(), '-l', '2000', '-P', String(server.port), tar, remote()]],
      ['scp -O', (tar) => ['scp', ...server.sshOptions(), '-O', '-l', '2000', '-P', String(server.port), tar, remote()]],
    ];
    for (const [name, argv] of cases) {
      it(name, async () => {
        const tar = join(local, 'big.tar');
        await writeFile(tar, await makeTar([{ name: 'big.bin', body: randomBytes(6 * 1024 * 1024) }]));
        const before = await treeHash(server.toolboxDir);
        const [file, ...args] = argv(tar);
        const child = spawn(file!, args, { stdio: 'ignore' });
        const closed = new Promise((r) => child.once('close', r));
        await new Promise((r) => setTimeout(r, 1500));
        expect(child.exitCode).toBeNull(); // still uploading when cut
        child.kill('SIGKILL');
        await closed;
        // The server notices the cut connection and drops the partial upload.
        await waitFor(() => (server.log().match(/upload-cut|scp-error/g) ?? []).join(' '), /upload-cut|scp-error/, 10_000).catch(() => undefined);
        for (let i = 0; i < 50 && (await stagingLeft()).length; i++) await new Promise((r) => setTimeout(r, 100));
        expect(await stagingLeft()).toEqual([]);
        expect(await treeHash(server.toolboxDir)).toBe(before);
        const alive = await server.ssh('toolbox list');
        expect(alive.code).toBe(0);
      }, 30_000);
    }

    it('ssh toolbox add with stdin cut', async () => {
      const archive = await makeTar([{ name: 'big.bin', body: randomBytes(3 * 1024 * 1024) }]);
      const before = await treeHash(server.toolboxDir);
      const child = spawn('ssh', [...server.sshOptions(), '-p', String(server.port), 'root@127.0.0.1', 'toolbox add'], { stdio: ['pipe', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.stdin.on('error', () => undefined);
      const closed = new Promise((r) => child.once('close', r));
      child.stdin.write(archive.subarray(0, archive.length / 2));
      await new Promise((r) => setTimeout(r, 700));
      expect(err).toBe('');
      expect(child.exitCode).toBeNull(); // still uploading when cut
      child.kill('SIGKILL');
      await closed;
      await new Promise((r) => setTimeout(r, 500));
      expect(await treeHash(server.toolboxDir)).toBe(before);
      expect((await server.ssh('toolbox list')).code).toBe(0);
    }, 30_000);
  });
});
