// Where sessions live: the default toolbox dir (a fresh /tmp/breakglass-XXXXXX, removed
// again at exit) and the --home fallback to the toolbox dir.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, makeKey, run, startServer, waitFor } from '../helpers/server.js';
import type { KeyPair } from '../helpers/server.js';

let dir: string;
let key: KeyPair;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-dirs-'));
  key = await makeKey(dir);
  await writeFile(join(dir, 'ak'), `${key.publicLine}\n`);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('directories', () => {
  it('without --toolbox-dir: a fresh breakglass-XXXXXX under TMPDIR (0700), on PATH, removed at exit with its staging dir', async () => {
    const tmp = join(dir, 'tmp');
    await (await import('node:fs/promises')).mkdir(tmp);
    const child = spawn(process.execPath, [join(DIST, 'breakglassd.js'), '--port', '0', '--listen', '127.0.0.1', '--authorized-keys', join(dir, 'ak'),
      '--host-key', join(dir, 'hk'), '--home', join(dir, 'home')], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
    let log = '';
    child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
    const port = Number((await waitFor(() => log, /listening on 127\.0\.0\.1:(\d+)/))[1]);
    const made = (await readdir(tmp)).find((name) => name.startsWith('breakglass-'));
    expect(made).toMatch(/^breakglass-\w{6}$/);
    expect((await stat(join(tmp, made!))).mode & 0o777).toBe(0o700);
    const result = await run('ssh', ['-F', 'none', '-i', key.privatePath, '-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=no',
      '-o', `UserKnownHostsFile=${join(dir, 'kh')}`, '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-p', String(port), 'root@127.0.0.1', 'echo $PATH']);
    expect(result.stdout.toString().split(':')[0]).toBe(join(tmp, made!));
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    // Nothing else either: the staging dir beside the toolbox goes too.
    expect(await readdir(tmp)).toEqual([]);
  });

  it('--home that cannot be created falls back to the toolbox dir, with a warning', async () => {
    const server = await startServer({ args: ['--home', '/proc/breakglass-cannot-exist'] });
    try {
      expect((await server.ssh('echo $HOME')).stdout.toString()).toBe(`${server.toolboxDir}\n`);
      expect(server.log()).toMatch(/warning message="cannot use --home \/proc\/breakglass-cannot-exist \(.*\); using the toolbox dir"/);
    } finally {
      await server.stop();
    }
  });
});
