// Fleet mode end to end: three breakglass-init devices with breakglassd on loopback, one
// command on all of them. A hosts-file line gives each its own ports, password file and
// key (they all live at 127.0.0.1); gokrazy instance names work as HOSTs too.
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, REPO, run, waitFor } from '../helpers/server.js';
import type { RunResult } from '../helpers/server.js';
import { breakglassdService, freePort, startDevice } from './device.js';
import type { Device } from './device.js';

const execFileAsync = promisify(execFile);
const BARRIER = join(REPO, 'test/client/fixtures/fleet-barrier.cjs');
let a: Device;
let b: Device;
let c: Device;
let scratch: string;
let wrongPassword: string;

const line = (name: string, d: Device, extra: string[] = []): string =>
  ['127.0.0.1', '--name', name, '--http-port', String(d.init.port), '--ssh-port', String(d.sshPort), '--password-file', d.passwordFile, '--identity', d.key.privatePath, ...extra].join(' ');

async function hostsFile(name: string, lines: string[]): Promise<string> {
  const file = join(scratch, name);
  await writeFile(file, `# fleet for ${name}\n${lines.join('\n')}\n`);
  return file;
}

/** node dist/breakglass.js with the tests' non-interactive ssh_config (its keys come from the hosts file). */
function breakglass(args: string[], env: NodeJS.ProcessEnv = process.env, input = ''): Promise<RunResult> {
  return run(process.execPath, [join(DIST, 'breakglass.js'), '--ssh-config', a.sshConfig, ...args], { timeoutMs: 60_000, env, input });
}

const state = async (d: Device): Promise<unknown> => (await d.init.statusJson('/user/breakglass')).State;

beforeAll(async () => {
  [a, b, c] = await Promise.all([startDevice(breakglassdService), startDevice(breakglassdService), startDevice(breakglassdService)]);
  scratch = await mkdtemp(join(tmpdir(), 'bg-fleet-'));
  wrongPassword = join(scratch, 'wrong.pw');
  await writeFile(wrongPassword, 'not-the-password\n');
  await b.init.act('restart', '/user/breakglass'); // b already runs; a is stopped and gets started
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('breakglass on several hosts', () => {
  it('runs the command on each, prefixes its lines, and sums up who failed and why', async () => {
    expect(await state(a)).not.toBe('running');
    expect(await state(b)).toBe('running');
    const gone = await freePort();
    const file = await hostsFile('mixed.txt', [
      line('a', a),
      line('b', b),
      line('c', c, ['--password-file', wrongPassword]), // the later flag wins
      `127.0.0.1 --name gone --http-port ${gone}`,
    ]);
    const result = await breakglass(['--hosts', file, '--password-file', a.passwordFile, '--', 'echo home is $HOME; echo to stderr >&2']);
    const out = result.stdout.toString();
    expect(out.split('\n').sort()).toEqual(['', `a: home is ${a.dir}/home`, `b: home is ${b.dir}/home`]);
    expect(result.stderr).toContain('a: to stderr\n');
    expect(result.stderr).toContain('b: to stderr\n');
    expect(result.stderr).toContain('a: breakglass: starting /user/breakglass on 127.0.0.1\n');
    expect(result.stderr).not.toContain('b: breakglass: starting');
    expect(result.stderr).toMatch(/^a: breakglass: pinned host key SHA256:/m);
    expect(result.stderr).toContain([
      'breakglass: 4 hosts: 2 ok, 1 failed, 1 unreachable',
      `breakglass:   c failed: wrong password for gokrazy@127.0.0.1 (web UI http://127.0.0.1:${c.init.port}); check ${wrongPassword} or pass --password-file`,
      `breakglass:   gone unreachable: cannot reach the web UI at http://127.0.0.1:${gone}: connection refused (is the device up, and is this its web UI port?)`,
      '',
    ].join('\n'));
    expect(result.code).toBe(1);
    expect(await state(a)).toBe('running');
    expect(await state(c)).not.toBe('running'); // wrong password: nothing started there
  });

  it('--json: one object per host with exit code, stdout, stderr, duration and error', async () => {
    const file = await hostsFile('ab.txt', [line('a', a), line('b', b)]);
    const result = await breakglass(['--hosts', file, '--json', 'echo out; echo err >&2; exit 3']);
    const objects = result.stdout.toString().trimEnd().split('\n').map((text) => JSON.parse(text) as Record<string, unknown>);
    objects.sort((x, y) => String(x.host).localeCompare(String(y.host)));
    expect(objects.map(({ durationMs, ...rest }) => rest)).toEqual(['a', 'b'].map((host) => (
      { host, status: 'failed', exitCode: 3, stdout: 'out\n', stderr: 'err\n', error: 'exit status 3' }
    )));
    for (const object of objects) expect(object.durationMs).toBeGreaterThan(0);
    expect(result.stderr).toContain('breakglass: 2 hosts: 0 ok, 2 failed, 0 unreachable\n');
    expect(result.code).toBe(1);
  });

  it('names ssh\'s own complaint when it fails (exit 255), e.g. a key the device does not know', async () => {
    const file = await hostsFile('wrong-key.txt', [line('a', a, ['--identity', b.key.privatePath]), line('b', b)]);
    const result = await breakglass(['--hosts', file, 'echo', 'in']);
    expect(result.stdout.toString()).toBe('b: in\n');
    expect(result.stderr).toMatch(/^breakglass: {3}a failed: exit status 255: .*Permission denied/m);
    expect(result.code).toBe(1);
  });

  it('exits 0 only when every host succeeded (hosts read from stdin)', async () => {
    const result = await breakglass(['--hosts', '-', '--json', 'true'], process.env, `${line('a', a)}\n${line('b', b)}\n`);
    expect(result.stdout.toString().trimEnd().split('\n').map((text) => (JSON.parse(text) as { status: string }).status)).toEqual(['ok', 'ok']);
    expect(result.stderr).toContain('breakglass: 2 hosts: 2 ok, 0 failed, 0 unreachable\n');
    expect(result.code).toBe(0);
  });

  it('--out DIR writes each host\'s stdout to DIR/HOST; --stop-after closes the glass on each', async () => {
    const dir = join(scratch, 'out');
    const file = await hostsFile('ab.txt', [line('a', a), line('b', b)]);
    const result = await breakglass(['--hosts', file, '--out', dir, '--stop-after', 'echo $HOME']);
    expect(result.stdout.toString()).toBe('');
    expect((await readdir(dir)).sort()).toEqual(['a', 'b']);
    expect(await readFile(join(dir, 'a'), 'utf8')).toBe(`${a.dir}/home\n`);
    expect(await readFile(join(dir, 'b'), 'utf8')).toBe(`${b.dir}/home\n`);
    expect(result.stderr).toContain('a: breakglass: stopped /user/breakglass\n');
    expect(result.stderr).toContain('b: breakglass: stopped /user/breakglass\n');
    expect(result.code).toBe(0);
    expect(await state(a)).not.toBe('running');
    expect(await state(b)).not.toBe('running');
  });

  it('runs the hosts at the same time, but never more than --parallel', async () => {
    const file = await hostsFile('abc.txt', [line('a', a), line('b', b), line('c', c)]);
    const barrier = async (parallel: string[], dir: string): Promise<number[]> => {
      const result = await breakglass(['--hosts', file, ...parallel, '--json', process.execPath, BARRIER, dir, '$HOME', '3', '3000']);
      expect(result.stderr).toContain('breakglass: 3 hosts: 3 ok, 0 failed, 0 unreachable\n');
      expect(result.code).toBe(0);
      return result.stdout.toString().trimEnd().split('\n').map((text) => Number(/^saw (\d)\n$/.exec((JSON.parse(text) as { stdout: string }).stdout)![1]));
    };
    // Each host's command waits until all three are in: only when they really run at once.
    expect(await barrier([], join(scratch, 'all'))).toEqual([3, 3, 3]);
    // Two at a time: the third marker never appears while two wait.
    const capped = await barrier(['--parallel', '2'], join(scratch, 'two'));
    expect(Math.max(...capped)).toBe(2);
  }, 60_000);

  it('ends a command that overruns --command-timeout, and uploads the debug tarball to each host first', async () => {
    const tools = join(scratch, 'tools');
    await mkdir(tools, { recursive: true });
    await writeFile(join(tools, 'fleet-tool'), `#!${process.execPath}\nconsole.log('tool on ' + process.env.HOME);\n`, { mode: 0o755 });
    const tarball = join(scratch, 'tools.tar');
    await execFileAsync('tar', ['-cf', tarball, '-C', tools, 'fleet-tool']);
    const file = await hostsFile('ab.txt', [line('a', a), line('b', b)]);
    const result = await breakglass(['--hosts', file, '--debug-tarball-pattern', tarball, '--command-timeout', '1s', 'fleet-tool; sleep 30']);
    expect(result.stdout.toString().split('\n').sort()).toEqual(['', `a: tool on ${a.dir}/home`, `b: tool on ${b.dir}/home`]);
    expect(result.stderr).toMatch(/^a: breakglass: toolbox: unpacked the archive/m); // toolbox add's manifest, on the host's log
    expect(result.stderr).toContain('breakglass:   a failed: command timed out after 1s\n');
    expect(result.stderr).toContain('breakglass:   b failed: command timed out after 1s\n');
    expect(result.code).toBe(1);
  });

  it('on SIGTERM ends the running commands, starts no further host, sums up and cleans up', async () => {
    const tmp = join(scratch, 'client-tmp');
    await mkdir(tmp, { recursive: true });
    const file = await hostsFile('abc.txt', [line('a', a), line('b', b), line('c', c)]);
    const child = spawn(process.execPath, [join(DIST, 'breakglass.js'), '--ssh-config', a.sshConfig, '--hosts', file, '--parallel', '2', 'echo started; sleep 30'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    await waitFor(() => out, /^a: started$/m);
    await waitFor(() => out, /^b: started$/m);
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(err).toContain('breakglass: 3 hosts: 0 ok, 2 failed, 0 unreachable, 1 not run\n');
    expect(err).toMatch(/^breakglass: {3}a failed: interrupted \(exit status \d+\)$/m);
    expect(err).toContain('breakglass:   c not run: interrupted before it started\n');
    expect(await readdir(tmp)).toEqual([]);
  });

  it('takes HOSTs on the command line, gokrazy instance names included', async () => {
    const parent = join(scratch, 'gokrazy');
    const instance = async (name: string, password: string): Promise<void> => {
      await mkdir(join(parent, name), { recursive: true });
      await writeFile(join(parent, name, 'config.json'), JSON.stringify({ Hostname: 'dev', Update: { Hostname: '127.0.0.1', HTTPPassword: password, HTTPPort: String(b.init.port) } }));
    };
    await instance('lab-b', b.init.password);
    await instance('lab-b-old', 'stale');
    const env = { ...process.env, GOKRAZY_PARENT_DIR: parent, XDG_CONFIG_HOME: join(scratch, 'empty-config') };
    const result = await breakglass(['--ssh-port', String(b.sshPort), '--identity', b.key.privatePath, 'lab-b', 'lab-b-old', '--', 'echo', 'hi'], env);
    expect(result.stdout.toString()).toBe('lab-b: hi\n');
    expect(result.stderr).toContain(`breakglass:   lab-b-old failed: wrong password for gokrazy@127.0.0.1 (web UI http://127.0.0.1:${b.init.port}); check ${join(parent, 'lab-b-old', 'config.json')} (Update.HTTPPassword) or pass --password-file\n`);
    expect(result.code).toBe(1);
  });

  it('--stop-after works for one host too', async () => {
    const result = await c.client(['--stop-after', '127.0.0.1', 'echo', 'once']);
    expect(result.stdout.toString()).toBe('once\n');
    expect(result.stderr).toContain('breakglass: stopped /user/breakglass\n');
    expect(result.code).toBe(0);
    expect(await state(c)).not.toBe('running');
  });

  it('documents the fleet flags and the hosts-file line in --help', async () => {
    const help = (await run(process.execPath, [join(DIST, 'breakglass.js'), '--help'])).stdout.toString();
    for (const text of ['HOST HOST… -- COMMAND', '--hosts FILE', '--parallel N', '--command-timeout', '--json', '--out DIR', '--stop-after', '--name LABEL']) {
      expect(help).toContain(text);
    }
  });

  it.each([
    [['--json', 'pi', 'ls'], 'breakglass: --json is for several hosts (breakglass HOST HOST… -- COMMAND, or --hosts FILE COMMAND)\n'],
    [['pi1', 'pi2', '--'], 'breakglass: several hosts need a COMMAND (breakglass HOST HOST… -- COMMAND, or --hosts FILE COMMAND)\n'],
    [['--parallel', '0', 'pi1', 'pi2', '--', 'ls'], 'breakglass: --parallel: expected a whole number of hosts, 1 or more, got "0"\n'],
    [['pi1', 'pi1', '--', 'ls'], 'breakglass: host pi1 is listed twice (give one of them --name LABEL in the hosts file)\n'],
    [['--json', '--out', 'x', 'pi1', 'pi2', '--', 'ls'], 'breakglass: --json and --out: choose one\n'],
    [['--hosts', '/nonexistent/fleet.txt', 'ls'], 'breakglass: --hosts: /nonexistent/fleet.txt does not exist\n'],
  ])('usage error %j', async (args, message) => {
    const result = await run(process.execPath, [join(DIST, 'breakglass.js'), ...args]);
    expect(result.stderr).toBe(message);
    expect(result.code).toBe(2);
  });
});
