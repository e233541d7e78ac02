// The clients an engineer may have, against breakglassd: PuTTY (plink, pscp, psftp),
// paramiko, ssh2 itself and OpenSSH's legacy scp protocol (scp -O). Each runs a command
// with its exit status, a shell on a pty, and moves a file up and down with identical
// bytes. Dropbear's dbclient has its own file (dropbear-client.test.ts). A client that is
// not installed is skipped with the package to install (.ci/run installs them all).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'ssh2';
import type { ClientChannel, SFTPWrapper } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REPO, run, startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { echoOverPty } from '../helpers/terminal-client.js';

let server: TestServer;
let payload: Buffer;
let upload: string;
beforeAll(async () => {
  server = await startServer();
  // Odd-sized and larger than one SFTP/scp chunk, so framing mistakes show.
  payload = randomBytes(300_001);
  upload = join(server.dir, 'upload.bin');
  await writeFile(upload, payload);
});
afterAll(async () => {
  await server?.stop();
});

const missing = (...paths: string[]): string[] => paths.filter((p) => !existsSync(p));
const skipNote = (gone: string[], pkg: string): string => (gone.length ? ` — skipped: ${gone.join(', ')} missing; apt-get install ${pkg}` : '');

const PUTTY = ['/usr/bin/plink', '/usr/bin/pscp', '/usr/bin/psftp', '/usr/bin/puttygen'];
describe.skipIf(missing(...PUTTY).length > 0)(`PuTTY tools${skipNote(missing(...PUTTY), 'putty-tools')}`, () => {
  let ppk: string;
  // -batch: never prompt; -hostkey: the fingerprint from breakglassd's log, as an engineer pins it.
  const common = (): string[] => ['-batch', '-P', String(server.port), '-i', ppk, '-hostkey', server.fingerprint];
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, HOME: server.dir });
  beforeAll(async () => {
    ppk = join(server.dir, 'id.ppk');
    expect((await run('puttygen', [server.key.privatePath, '-O', 'private', '-o', ppk])).code).toBe(0);
  });

  it('plink runs a command and returns its exit status', async () => {
    const result = await run('plink', ['-ssh', ...common(), 'root@127.0.0.1', 'echo from-plink; exit 3'], { env: env() });
    expect(result.stdout.toString()).toBe('from-plink\n');
    expect(result.code).toBe(3);
  });

  it('plink -t opens a shell on a pty', async () => {
    const { screen, code } = await echoOverPty(['plink', '-ssh', '-t', ...common(), 'root@127.0.0.1'], env());
    expect(screen).toContain('pty-xterm-ok');
    expect(code).toBe(4);
  });

  it('pscp copies up and down over SFTP and over scp (-scp) with identical bytes', async () => {
    for (const protocol of ['-sftp', '-scp']) {
      const remote = join(server.dir, `pscp${protocol}.bin`);
      const back = join(server.dir, `pscp${protocol}-back.bin`);
      expect((await run('pscp', [protocol, '-q', ...common(), upload, `root@127.0.0.1:${remote}`], { env: env() })).code).toBe(0);
      expect((await readFile(remote)).equals(payload)).toBe(true);
      expect((await run('pscp', [protocol, '-q', ...common(), `root@127.0.0.1:${remote}`, back], { env: env() })).code).toBe(0);
      expect((await readFile(back)).equals(payload)).toBe(true);
    }
  });

  it('psftp puts and gets in batch mode, and reports a missing file as an error', async () => {
    const back = join(server.dir, 'psftp-back.bin');
    const script = join(server.dir, 'psftp.batch');
    await writeFile(script, `cd ${server.dir}\nput ${upload} psftp.bin\nget psftp.bin ${back}\n`);
    const ok = await run('psftp', [...common(), '-b', script, '-bc', 'root@127.0.0.1'], { env: env() });
    expect(ok.code).toBe(0);
    expect((await readFile(join(server.dir, 'psftp.bin'))).equals(payload)).toBe(true);
    expect((await readFile(back)).equals(payload)).toBe(true);
    await writeFile(script, `get ${server.dir}/no-such-file ${back}.none\n`);
    const bad = await run('psftp', [...common(), '-b', script, 'root@127.0.0.1'], { env: env() });
    expect(bad.code).not.toBe(0);
    expect(bad.stdout.toString() + bad.stderr).toMatch(/no such file/i);
  });
});

// Debian's python3-paramiko is for Debian's python: call it by path, not whatever python3 is first on PATH.
const PYTHON = '/usr/bin/python3';
const hasParamiko = existsSync(PYTHON) && (await run(PYTHON, ['-c', 'import paramiko']).catch(() => ({ code: 1 }))).code === 0;
describe.skipIf(!hasParamiko)(`paramiko${hasParamiko ? '' : ' — skipped: apt-get install python3-paramiko'}`, () => {
  it('exec with exit status, a shell on a pty, SFTP up and down', async () => {
    const download = join(server.dir, 'paramiko-back.bin');
    const result = await run(PYTHON, [join(REPO, 'test/fixtures/clients/paramiko_client.py'), String(server.port), server.key.privatePath, upload, download],
      { timeoutMs: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout.toString().split('\n')).toEqual([
      'hostkey ssh-ed25519', 'exec exec-ok 5', 'prompt True', 'shell True', 'shell-exit 6', `sftp ${payload.length}`, '',
    ]);
    expect((await readFile(download)).equals(payload)).toBe(true);
  });
});

describe('ssh2 as a client', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client();
    await new Promise<void>((resolveReady, reject) => {
      client.once('ready', resolveReady).once('error', reject);
      client.connect({ host: '127.0.0.1', port: server.port, username: 'root', privateKey: readFileSync(server.key.privatePath), readyTimeout: 10_000 });
    });
  });
  afterAll(() => client?.end());

  it('exec returns output and exit status', async () => {
    // Listeners go on in exec's callback: a fast server's data, exit and close can arrive
    // in the same read as the channel confirmation, before any later await resumes.
    const { out, code } = await new Promise<{ out: string; code: number }>((res, rej) =>
      client.exec('echo from-ssh2; exit 9', (err, channel) => {
        if (err) return rej(err);
        let text = '';
        let status = -1;
        channel.on('data', (c: Buffer) => (text += c.toString()));
        channel.once('exit', (c: number) => (status = c));
        channel.once('close', () => res({ out: text, code: status }));
      }),
    );
    expect(out).toBe('from-ssh2\n');
    expect(code).toBe(9);
  });

  it('a shell on a pty', async () => {
    const channel = await new Promise<ClientChannel>((res, rej) => client.shell({ term: 'xterm', cols: 100, rows: 30 }, (err, ch) => (err ? rej(err) : res(ch))));
    let screen = '';
    channel.on('data', (c: Buffer) => (screen += c.toString()));
    await vi.waitFor(() => expect(screen).toContain('# '), { timeout: 10_000 });
    channel.write('echo pty-$TERM-ok\r');
    await vi.waitFor(() => expect(screen).toMatch(/\r\npty-xterm-ok\r\n/), { timeout: 10_000 });
    const code = new Promise<number>((res) => channel.once('exit', (c: number) => res(c)));
    channel.write('exit 2\r');
    expect(await code).toBe(2);
  });

  it('SFTP WRITE on a handle that was never opened gets an error; the connection lives on', async () => {
    const sftp = await new Promise<SFTPWrapper>((res, rej) => client.sftp((err, s) => (err ? rej(err) : res(s))));
    const err = await new Promise<Error | undefined>((res) => sftp.write(Buffer.from('bogus'), Buffer.from('abc'), 0, 3, 0, (e) => res(e ?? undefined)));
    expect(err?.message).toMatch(/handle/i);
    const names = await new Promise<string[]>((res, rej) => sftp.readdir(server.dir, (e, list) => (e ? rej(e) : res(list.map((l) => l.filename)))));
    expect(names).toContain('upload.bin');
    sftp.end();
  });

  it('SFTP up and down with identical bytes', async () => {
    const sftp = await new Promise<SFTPWrapper>((res, rej) => client.sftp((err, s) => (err ? rej(err) : res(s))));
    const remote = join(server.dir, 'ssh2-up.bin');
    const back = join(server.dir, 'ssh2-back.bin');
    await new Promise<void>((res, rej) => sftp.fastPut(upload, remote, (err) => (err ? rej(err) : res())));
    await new Promise<void>((res, rej) => sftp.fastGet(remote, back, (err) => (err ? rej(err) : res())));
    expect((await readFile(remote)).equals(payload)).toBe(true);
    expect((await readFile(back)).equals(payload)).toBe(true);
    sftp.end();
  });
});

describe('OpenSSH scp -O (the legacy scp protocol, not SFTP)', () => {
  it('copies up and down with identical bytes and reports a missing file', async () => {
    const remote = join(server.dir, 'scp-O.bin');
    const back = join(server.dir, 'scp-O-back.bin');
    const scp = (...args: string[]): ReturnType<typeof run> => run('scp', ['-O', '-q', ...server.sshOptions(), '-P', String(server.port), ...args]);
    expect((await scp(upload, `root@127.0.0.1:${remote}`)).code).toBe(0);
    expect((await readFile(remote)).equals(payload)).toBe(true);
    expect((await scp(`root@127.0.0.1:${remote}`, back)).code).toBe(0);
    expect((await readFile(back)).equals(payload)).toBe(true);
    const bad = await scp(`root@127.0.0.1:${server.dir}/no-such-file`, `${back}.none`);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/no-such-file: No such file or directory/);
  });
});
