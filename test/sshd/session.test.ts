// Sessions through the real OpenSSH client: exec, exit statuses with and without a pty,
// the environment, the banner, and cleanup of processes when the client goes away.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run, startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { eventually, findProcesses } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  // The host's /bin first on PATH so `sleep` is a real process of the session.
  server = await startServer({ env: { ...process.env, PATH: `/bin:/usr/bin` } });
});
afterAll(async () => server?.stop());

describe('exec sessions', () => {
  it("ssh HOST 'echo hello' prints hello and exits 0", async () => {
    const result = await server.ssh('echo hello');
    expect(result.stdout.toString()).toBe('hello\n');
    expect(result.code).toBe(0);
    expect(server.log()).toMatch(/session-start conn=\d+ session=0 type=exec command="echo hello"/);
  });

  it("ssh HOST 'exit 3' exits 3", async () => {
    expect((await server.ssh('exit 3')).code).toBe(3);
  });

  it("ssh -tt HOST 'exit 4' exits 4 (exit-status with a pty)", async () => {
    const result = await server.ssh('exit 4', { extraArgs: ['-tt'] });
    expect(result.code).toBe(4);
  });

  it('a command killed by a signal ends the session with exit-signal (ssh exits 255)', async () => {
    const argv = ['/bin/sleep', '1000.5151'];
    const pending = server.ssh(argv.join(' '), { timeoutMs: 15_000 });
    expect(await eventually(async () => (await findProcesses(argv)).length === 1, 10_000)).toBe(true);
    for (const pid of await findProcesses(argv)) process.kill(pid, 'SIGTERM');
    const result = await pending;
    expect(result.code).toBe(255);
    expect(await eventually(() => /session-end conn=\d+ session=0 type=exec signal=TERM/.test(server.log()))).toBe(true);
  });

  it('passes the input to the command and keeps stdout and stderr apart', async () => {
    const result = await server.ssh('cat; echo to-stderr >&2', { input: 'from stdin\n' });
    expect(result.stdout.toString()).toBe('from stdin\n');
    expect(result.stderr).toContain('to-stderr');
    expect(result.code).toBe(0);
  });

  it('sets USER, HOME, SSH_CONNECTION and SSH_CLIENT', async () => {
    const result = await server.ssh('echo $USER $LOGNAME $HOME; echo $SSH_CONNECTION; echo $SSH_CLIENT');
    const [ids, connection, client] = result.stdout.toString().trim().split('\n');
    expect(ids).toBe(`root root ${server.dir}/home`);
    expect(connection).toMatch(new RegExp(`^127\\.0\\.0\\.1 \\d+ 127\\.0\\.0\\.1 ${server.port}$`));
    expect(client).toMatch(new RegExp(`^127\\.0\\.0\\.1 \\d+ ${server.port}$`));
  });

  it('passes TERM from the pty request and LANG from SendEnv', async () => {
    const result = await server.ssh('echo $TERM $LANG', { extraArgs: ['-tt', '-o', 'SendEnv=LANG'] });
    expect(result.stdout.toString()).toMatch(/^\S+ C\.UTF-8\r?\n/);
  });

  it('prints no banner for exec', async () => {
    expect((await server.ssh('echo x')).stdout.toString()).not.toContain('emergency shell');
  });
});

describe('connection sharing', () => {
  it('runs several sessions over one connection (OpenSSH ControlMaster), each with its own exit status', async () => {
    const control = ['-o', `ControlPath=${join(server.dir, 'cm-%C')}`];
    const master = await server.ssh('echo master', { extraArgs: [...control, '-o', 'ControlMaster=yes', '-o', 'ControlPersist=10'] });
    expect(master.stdout.toString()).toBe('master\n');
    const connects = (server.log().match(/ connect conn=/g) ?? []).length;
    const [a, b] = await Promise.all([server.ssh('echo a; exit 3', { extraArgs: control }), server.ssh('echo b', { extraArgs: control })]);
    expect([a.stdout.toString(), a.code, b.stdout.toString(), b.code]).toEqual(['a\n', 3, 'b\n', 0]);
    // No new TCP connection: both ran as new session channels on the master's.
    expect((server.log().match(/ connect conn=/g) ?? []).length).toBe(connects);
    expect(server.log()).toMatch(/session-start conn=\d+ session=2 type=exec/);
    await run('ssh', [...server.sshOptions(), ...control, '-p', String(server.port), '-O', 'exit', 'root@127.0.0.1']);
  });
});

describe('interactive shell', () => {
  it('shows the banner, then runs the shell; exit N ends the session with N', async () => {
    const result = await server.ssh([], { extraArgs: ['-tt'], input: 'exit 5\n', timeoutMs: 15_000 });
    const out = result.stdout.toString();
    expect(out).toContain('breakglass: emergency shell on');
    expect(out).toContain(`toolbox: ${server.toolboxDir}`);
    expect(out).toMatch(/Type help/);
    expect(result.code).toBe(5);
  });
});

describe('--no-banner', () => {
  it('starts the interactive shell without the banner (gokrazy: -enable_banner=false)', async () => {
    const quiet = await startServer({ args: ['-enable_banner=false'] });
    try {
      const result = await quiet.ssh([], { extraArgs: ['-tt'], input: 'exit 6\n', timeoutMs: 15_000 });
      expect(result.stdout.toString()).not.toContain('emergency shell');
      expect(result.code).toBe(6);
    } finally {
      await quiet.stop();
    }
  });
});

describe('transfer wiring', () => {
  it('scp (SFTP mode) uploads into the toolbox dir and exits 0 (exit-status after the SFTP session)', async () => {
    await writeFile(join(server.dir, 'note.txt'), 'hello toolbox\n');
    const args = server.sshOptions();
    const result = await run('scp', [...args, '-P', String(server.port), join(server.dir, 'note.txt'), 'root@127.0.0.1:']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await readFile(join(server.toolboxDir, 'note.txt'), 'utf8')).toBe('hello toolbox\n');
    expect(server.log()).toMatch(/session-start conn=\d+ session=0 type=sftp/);
  });

  it('refuses subsystems other than sftp', async () => {
    const result = await server.ssh('netconf', { extraArgs: ['-s', '-o', 'LogLevel=INFO'] });
    expect(result.code).toBe(255);
    expect(result.stderr).toMatch(/subsystem request failed/);
  });
});

describe('cleanup', () => {
  it('kills what a session started when the client disappears', async () => {
    const argv = ['/bin/sleep', '1000.4242'];
    const client = spawn('ssh', [...server.sshOptions(), '-p', String(server.port), 'root@127.0.0.1', argv.join(' ')], {
      stdio: 'ignore',
    });
    try {
      expect(await eventually(async () => (await findProcesses(argv)).length === 1, 10_000)).toBe(true);
    } finally {
      client.kill('SIGKILL');
    }
    expect(await eventually(async () => (await findProcesses(argv)).length === 0, 5000)).toBe(true);
    expect(await eventually(() => /command="\/bin\/sleep 1000.4242"\n(.*\n)*.*session-end conn=\d+ session=0 type=exec (signal=HUP|status=129)/.test(server.log()))).toBe(true);
  });
});
