// The laptop client end to end over loopback against breakglass-init + breakglassd:
// web UI start, banner wait, host-key pinning, toolbox upload, session, exit codes.
import { execFile, spawn } from 'node:child_process';
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goarchOf } from '../../src/init/goarch.js';
import { DIST, run, waitFor } from '../helpers/server.js';
import { breakglassdService, startDevice } from './device.js';
import type { Device } from './device.js';

const execFileAsync = promisify(execFile);
let device: Device;

beforeAll(async () => {
  device = await startDevice(breakglassdService);
});
afterAll(async () => {
  await device?.stop();
});

describe('breakglass client against breakglassd', () => {
  it('starts the server through the web UI and runs `ps` (the command line from the issue)', async () => {
    expect((await device.init.statusJson('/user/breakglass')).Stopped).toBe(true);
    const result = await device.client(['127.0.0.1', 'ps'], { sshConfig: false });
    expect(result.stderr).toContain('starting /user/breakglass on 127.0.0.1');
    expect(result.stderr).toMatch(/pinned host key SHA256:[A-Za-z0-9+/]+ \(from \/user\/breakglass's log\)/);
    expect(result.code).toBe(0);
    const out = result.stdout.toString();
    expect(out).toMatch(/^\s*PID\b/);
    // The device's processes: among them the SSH server the web UI just started.
    const status = await device.init.statusJson('/user/breakglass');
    expect(status.State).toBe('running');
    expect(out).toMatch(new RegExp(`^\\s*${status.Pid as number}\\s`, 'm'));
  });

  it('exits with the remote exit code', async () => {
    const result = await device.client(['127.0.0.1', 'exit', '5']);
    expect(result.code).toBe(5);
    expect(result.stderr).not.toContain('starting'); // already running: no restart
  });

  it('uploads --debug-tarball-pattern so the tools work in the same command line', async () => {
    const tools = join(device.dir, 'tools');
    await mkdir(tools, { recursive: true });
    await writeFile(join(tools, 'hello-tool'), `#!${process.execPath}\nconsole.log('hello from the toolbox ' + process.argv.slice(2).join(' '));\n`);
    await chmod(join(tools, 'hello-tool'), 0o755);
    const tarball = join(device.dir, `debug-${goarchOf()}.tar`);
    await execFileAsync('tar', ['-cf', tarball, '-C', tools, 'hello-tool']);
    const result = await device.client(['--debug-tarball-pattern', join(device.dir, 'debug-${GOARCH}.tar'), '127.0.0.1', 'hello-tool', 'world']);
    expect(result.stderr).not.toContain('failed');
    expect(result.stdout.toString()).toBe('hello from the toolbox world\n');
    expect(result.code).toBe(0);
  });

  it('lets the session inspect the device services with svc and logs', async () => {
    const result = await device.client(['127.0.0.1', 'svc list; logs --stream stderr breakglass']);
    expect(result.code).toBe(0);
    const out = result.stdout.toString();
    expect(out).toMatch(/^\/user\/breakglass\s+running\s+\d+\s/m);
    expect(out).toMatch(/^breakglassd: listening on 127\.0\.0\.1:\d+ \(host key SHA256:/m);
  });

  it('restarts a running server with --force-restart', async () => {
    const before = (await device.init.statusJson('/user/breakglass')).Pid as number;
    const result = await device.client(['--force-restart', '127.0.0.1', 'echo', 'fresh']);
    expect(result.stderr).toContain('restarting /user/breakglass on 127.0.0.1');
    expect(result.stdout.toString()).toBe('fresh\n');
    expect(result.code).toBe(0);
    const after = (await device.init.statusJson('/user/breakglass')).Pid as number;
    expect(after).not.toBe(before);
  });

  it('reaches the shell as an ssh ProxyCommand', async () => {
    const proxy = [process.execPath, join(DIST, 'breakglass.js'), '--proxy', '--http-port', String(device.init.port), '--ssh-port', String(device.sshPort),
      '--password-file', device.passwordFile, '%h'].join(' ');
    const result = await run('ssh', ['-F', 'none', '-i', device.key.privatePath, '-o', 'IdentitiesOnly=yes', '-o', 'IdentityAgent=none', '-o', 'BatchMode=yes',
      '-o', 'StrictHostKeyChecking=no', '-o', `UserKnownHostsFile=${join(device.dir, 'proxy_known_hosts')}`, '-o', 'LogLevel=ERROR',
      '-o', `ProxyCommand=${proxy}`, 'root@127.0.0.1', 'echo', 'through the proxy']);
    expect(result.stderr).toBe('');
    expect(result.stdout.toString()).toBe('through the proxy\n');
    expect(result.code).toBe(0);
  });

  it('uploads the tarball as a ProxyCommand too, before connecting ssh through, and leaves no temporary files', async () => {
    const tools = join(device.dir, 'proxy-tools');
    const scratch = join(device.dir, 'proxy-tmp');
    await mkdir(scratch);
    await mkdir(tools, { recursive: true });
    await writeFile(join(tools, 'proxy-tool'), `#!${process.execPath}\nconsole.log('proxy tool here');\n`);
    await chmod(join(tools, 'proxy-tool'), 0o755);
    const tarball = join(device.dir, 'proxy-tools.tar');
    await execFileAsync('tar', ['-cf', tarball, '-C', tools, 'proxy-tool']);
    const proxy = [process.execPath, join(DIST, 'breakglass.js'), '--proxy', '--http-port', String(device.init.port), '--ssh-port', String(device.sshPort),
      '--password-file', device.passwordFile, '--identity', device.key.privatePath, '--ssh-config', device.sshConfig, '--debug-tarball-pattern', tarball, '%h'].join(' ');
    const result = await run('ssh', ['-F', 'none', '-i', device.key.privatePath, '-o', 'IdentitiesOnly=yes', '-o', 'IdentityAgent=none', '-o', 'BatchMode=yes',
      '-o', 'StrictHostKeyChecking=no', '-o', `UserKnownHostsFile=${join(device.dir, 'proxy_known_hosts')}`, '-o', 'LogLevel=ERROR',
      '-o', `ProxyCommand=${proxy}`, 'root@127.0.0.1', 'proxy-tool'], { env: { ...process.env, TMPDIR: scratch } });
    expect(result.stdout.toString()).toBe('proxy tool here\n');
    expect(result.code).toBe(0);
    // ssh hangs up on its ProxyCommand when done: the pinned known_hosts must be gone by then.
    expect(await readdir(scratch)).toEqual([]);
  });

  it('passes SIGTERM on to the session and still cleans up after itself', async () => {
    const tmp = join(device.dir, 'client-tmp');
    await mkdir(tmp, { recursive: true });
    const child = spawn(process.execPath, [join(DIST, 'breakglass.js'), '--http-port', String(device.init.port), '--ssh-port', String(device.sshPort),
      '--password-file', device.passwordFile, '--identity', device.key.privatePath, '--ssh-config', device.sshConfig, '127.0.0.1', 'echo started; sleep 30'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.resume();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitFor(() => out, /started/);
    const signalled = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    expect(Date.now() - signalled).toBeLessThan(5000);
    expect(code).not.toBe(0);
    expect(await readdir(tmp)).toEqual([]);
  });

  it('prepares only: starts the server and returns without a session', async () => {
    await device.init.act('stop', '/user/breakglass');
    const result = await device.client(['--prepare-only', '127.0.0.1']);
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toBe('');
    expect((await device.init.statusJson('/user/breakglass')).State).toBe('running');
  });
});
