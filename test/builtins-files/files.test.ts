// The file built-ins over SSH with the real OpenSSH client: what a user of
// `ssh dev '…'` sees, compared with the real tools on this machine.
import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { appendFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, startServer, waitFor } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

let server: TestServer;
let dir: string;
let bigSha: string;
const BIG = 64 * 1024 * 1024;

/** Writes BIG random bytes in 1 MiB pieces and returns their sha256. */
async function writeRandom(path: string): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  for (let done = 0; done < BIG; done += 1024 * 1024) {
    const piece = randomBytes(1024 * 1024);
    hash.update(piece);
    if (!out.write(piece)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return hash.digest('hex');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-files-'));
  await mkdir(join(dir, 'tree/src/lib'), { recursive: true });
  await writeFile(join(dir, 'tree/README'), 'breakglass\nnothing to see\n');
  await writeFile(join(dir, 'tree/src/main.ts'), 'import x from "y";\n// TODO: more\n');
  await writeFile(join(dir, 'tree/src/lib/util.ts'), 'export const TODO = 1;\n');
  await symlink('README', join(dir, 'tree/link'));
  bigSha = await writeRandom(join(dir, 'big'));
  server = await startServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const sorted = (text: string): string => text.split('\n').sort().join('\n');

describe('file built-ins over SSH', () => {
  it('cat streams a 64 MiB random file byte for byte', async () => {
    const started = Date.now();
    const r = await server.ssh(`cat ${dir}/big`, { timeoutMs: 60_000 });
    const seconds = (Date.now() - started) / 1000;
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(BIG);
    expect(createHash('sha256').update(r.stdout).digest('hex')).toBe(bigSha);
    // Record the figure: loopback SSH, two shared cores.
    console.log(`cat 64 MiB over SSH: ${seconds.toFixed(2)} s (${(64 / seconds).toFixed(0)} MiB/s)`);
  }, 60_000);

  it('sha256sum over SSH matches coreutils', async () => {
    const r = await server.ssh(`sha256sum ${dir}/big ${dir}/tree/README`);
    const real = await run('sha256sum', [`${dir}/big`, `${dir}/tree/README`]);
    expect(r.stdout.toString()).toBe(real.stdout.toString());
    expect(r.stdout.toString()).toContain(`${bigSha}  ${dir}/big\n`);
    expect(r.code).toBe(0);
  });

  it('cat /dev/zero | head -c 1000000 | wc -c prints 1000000 and returns', async () => {
    const started = Date.now();
    const r = await server.ssh('cat /dev/zero | head -c 1000000 | wc -c', { timeoutMs: 15_000 });
    expect(r.stdout.toString()).toBe('1000000\n');
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('cat of the big file into head -1 returns at once', async () => {
    const started = Date.now();
    const r = await server.ssh(`cat ${dir}/big | head -c 10 | wc -c`);
    expect(r.stdout.toString()).toBe('10\n');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('ls -l prints the busybox layout, one entry per line, no colours', async () => {
    const r = await server.ssh(`ls -l ${dir}/tree`);
    const real = await run('busybox', ['ls', '-l', `${dir}/tree`]);
    expect(r.stdout.toString()).toBe(real.stdout.toString());
    expect(r.stdout.toString()).toMatch(/^lrwxrwxrwx +1 \S+ +\S+ +6 \w{3} [ \d]\d \d\d:\d\d link -> README$/m);
    expect(r.stdout.toString()).not.toContain('\x1b');
  });

  it('grep -rn finds lines with their file and line number', async () => {
    const r = await server.ssh(`cd ${dir}/tree && grep -rn TODO`);
    const real = await run('grep', ['-rn', 'TODO', `${dir}/tree`]);
    expect(sorted(r.stdout.toString())).toBe(sorted(real.stdout.toString().replaceAll(`${dir}/tree/`, '')));
    expect(r.stdout.toString()).toContain('src/main.ts:2:// TODO: more\n');
    expect(r.code).toBe(0);
    const none = await server.ssh(`grep -rn NOTHERE ${dir}/tree`);
    expect([none.stdout.toString(), none.code]).toEqual(['', 1]);
  });

  it('find -name selects by glob', async () => {
    const r = await server.ssh(`find ${dir}/tree -name '*.ts'`);
    const real = await run('find', [`${dir}/tree`, '-name', '*.ts']);
    expect(sorted(r.stdout.toString())).toBe(sorted(real.stdout.toString()));
    expect(r.stdout.toString().trim().split('\n')).toHaveLength(2);
  });

  it('reads stdin from the SSH channel when there is no operand', async () => {
    const input = randomBytes(3 * 1024 * 1024);
    const r = await server.ssh('sha256sum', { input });
    expect(r.stdout.toString()).toBe(`${createHash('sha256').update(input).digest('hex')}  -\n`);
    const h = await server.ssh('head -n 2 | wc -l', { input: 'a\nb\nc\n' });
    expect(h.stdout.toString()).toBe('2\n');
  });

  it('ls colours names on a terminal only', async () => {
    const tty = await server.ssh(`ls ${dir}/tree`, { extraArgs: ['-tt'] });
    expect(tty.stdout.toString()).toContain('\x1b[01;34msrc\x1b[0m');
    const piped = await server.ssh(`ls ${dir}/tree`);
    expect(piped.stdout.toString()).toBe('README\nlink\nsrc\n');
  });

  it('tail -f follows a growing file until ^C on a terminal', async () => {
    const log = join(dir, 'follow.log');
    await writeFile(log, 'one\n');
    const child = spawn('ssh', [...server.sshOptions(), '-tt', '-p', String(server.port), 'root@127.0.0.1', `tail -f ${log}`], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      await waitFor(() => out, /one\r\n/);
      await appendFile(log, 'two\n');
      await waitFor(() => out, /two\r\n/);
      const started = Date.now();
      child.stdin.write('\x03');
      expect(await closed).toBe(130);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('reports errors as NAME: PATH: message with the exit status', async () => {
    const r = await server.ssh('cat /nope');
    expect(r.stderr).toContain('cat: /nope: No such file or directory');
    expect(r.code).toBe(1);
    const g = await server.ssh("grep 'a\\(' /etc/hostname");
    expect(g.stderr).toContain('grep: Unmatched ( or \\(');
    expect(g.code).toBe(2);
  });
});
