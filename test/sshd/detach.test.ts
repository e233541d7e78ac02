// Detach and reattach with real clients: OpenSSH ssh -tt inside tmux. The ssh client is
// SIGKILLed mid-session (the network dropping), `ssh -tt HOST attach` brings the same
// screen back with the job still running; another authorized key is refused; a short
// --detach-timeout ends the jobs and leaves no process behind.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeKey, startServer } from '../helpers/server.js';
import type { KeyPair, TestServer } from '../helpers/server.js';
import { parseCast, parseResize } from '../../src/sshd/record/cast-reader.js';
import { XTerm } from '../shell/pty.js';
import { eventually, runDaemon, sshArgs, sshWithIdentity } from './helpers.js';

const execFileAsync = promisify(execFile);
const TMUX_SOCKET = `bg-detach-${process.pid}`;
const tmux = async (...args: string[]): Promise<string> => (await execFileAsync('tmux', ['-L', TMUX_SOCKET, ...args])).stdout;
const pane = (name: string): Promise<string> => tmux('capture-pane', '-p', '-t', name);

let servers: TestServer[] = [];
afterEach(async () => {
  await tmux('kill-server').catch(() => undefined);
});
afterAll(async () => {
  for (const s of servers) await s.stop();
  servers = [];
});

/** ssh -tt in a tmux window of its own; returns the ssh client's pid. */
async function sshInTmux(name: string, server: TestServer, command: string[] = [], identity?: string): Promise<number> {
  const argv = ['ssh', '-tt', ...sshArgs(server, identity ? { identity } : {}), 'root@127.0.0.1', ...command];
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  await tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30', `${quoted}; echo SSH-EXIT=$?; sleep 60`);
  return Number((await tmux('display-message', '-p', '-t', name, '#{pane_pid}')).trim());
}

async function waitPane(name: string, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  let text = '';
  const ok = await eventually(async () => pattern.test((text = await pane(name))), timeoutMs);
  if (!ok) throw new Error(`timed out waiting for ${pattern}; pane ${name}:\n${text}`);
  return text;
}

/** The ssh client under the tmux pane's sh. */
function sshPid(shellPid: number): number {
  const children = readFileSync(`/proc/${shellPid}/task/${shellPid}/children`, 'utf8').trim().split(/\s+/).map(Number);
  return children[0]!;
}

const alive = (pid: number): boolean => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));

/** Live processes below pid (from /proc: no ps needed), as [pid, argv] pairs. */
function descendants(root: number): Array<[number, string]> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // comm may hold spaces and parentheses: the fields after the last ')' are fixed.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const below = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === root) return true;
    return false;
  };
  return [...parents.keys()].filter((pid) => below(pid) && alive(pid)).map((pid) => {
    let argv = '';
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      // gone meanwhile
    }
    return [pid, argv];
  });
}

describe('detach and reattach', () => {
  it('a SIGKILLed ssh leaves the session running; attach restores the screen and the job', async () => {
    const server = await startServer({ args: ['--no-banner'] });
    servers.push(server);
    const log = join(server.dir, 'app.log');
    const shell = await sshInTmux('first', server);
    await waitPane('first', /# ?$/m);
    await tmux('send-keys', '-t', 'first', `echo before-drop-marker > ${log}`, 'Enter');
    // The real tail (a process of its own), not the shell's built-in.
    await tmux('send-keys', '-t', 'first', `/usr/bin/tail -f ${log}`, 'Enter');
    await waitPane('first', /^before-drop-marker$/m);
    const tailPid = descendants(server.process.pid!).find(([, argv]) => argv === `/usr/bin/tail -f ${log}`)?.[0];
    expect(tailPid).toBeDefined();

    process.kill(sshPid(shell), 'SIGKILL');
    await waitPane('first', /SSH-EXIT=/);
    await eventually(() => /breakglassd: detach id=1 reason="connection lost"/.test(server.log()));
    expect(server.log().split('listening on')[1]).toMatch(/detach id=1 reason="connection lost"/);
    // The job runs on while nobody is attached, and its output goes into the screen.
    expect(alive(tailPid!)).toBe(true);
    await execFileAsync('sh', ['-c', `echo while-detached-marker >> ${log}`]);

    const listed = await server.ssh('sessions --json');
    const sessions = JSON.parse(listed.stdout.toString()) as Array<{ id: string; state: string; command: string; comment: string }>;
    expect(sessions).toEqual([expect.objectContaining({ id: '1', state: 'detached', command: `/usr/bin/tail -f ${log}`, comment: 'test-id_ed25519' })]);

    await sshInTmux('second', server, ['attach']);
    const restored = await waitPane('second', /while-detached-marker/);
    expect(restored).toContain(`# /usr/bin/tail -f ${log}`);
    expect(restored).toMatch(/^before-drop-marker\n(.*\n)?while-detached-marker/m);
    expect(server.log()).toMatch(/attach conn=\d+ session=0 id=1 key=SHA256:\S+ comment=test-id_ed25519/);
    // Still the same running job: new output shows up, ^C ends it, the shell goes on.
    await execFileAsync('sh', ['-c', `echo after-attach-marker >> ${log}`]);
    await waitPane('second', /^after-attach-marker$/m);
    expect(alive(tailPid!)).toBe(true);
    await tmux('send-keys', '-t', 'second', 'C-c');
    await tmux('send-keys', '-t', 'second', 'echo shell-$BREAKGLASS_SESSION-alive', 'Enter');
    await waitPane('second', /^shell-1-alive$/m);
    await tmux('send-keys', '-t', 'second', 'exit 3', 'Enter');
    await waitPane('second', /SSH-EXIT=3/);
    await eventually(() => /session-end conn=\d+ session=0 id=1 type=shell status=3/.test(server.log()));
    expect(server.log()).toMatch(/session-end conn=\d+ session=0 id=1 type=shell status=3/);
  });

  it('another authorized key cannot attach; the owner can', async () => {
    const server = await startServer({ args: ['--no-banner'] });
    servers.push(server);
    const other: KeyPair = await makeKey(server.dir, 'ed25519', 'id_other');
    await appendFile(server.authorizedKeysPath, `${other.publicLine}\n`);
    const shell = await sshInTmux('owner', server);
    await waitPane('owner', /# ?$/m);
    await tmux('send-keys', '-t', 'owner', 'echo owner-screen-marker', 'Enter');
    await waitPane('owner', /^owner-screen-marker$/m);
    process.kill(sshPid(shell), 'SIGKILL');
    await eventually(() => /detach id=1/.test(server.log()));

    await eventually(async () => (await sshWithIdentity(server, other.privatePath, 'true')).code === 0, 5000);
    const refused = await sshWithIdentity(server, other.privatePath, 'attach 1', { extraArgs: ['-tt'] });
    expect(refused.code).toBe(1);
    expect(refused.stderr + refused.stdout.toString()).toContain('attach: session 1 was opened with another key; only the key that opened a session may attach to it');
    const none = await sshWithIdentity(server, other.privatePath, 'attach', { extraArgs: ['-tt'] });
    expect(none.code).toBe(1);
    expect(none.stderr + none.stdout.toString()).toContain('attach: no detached session opened with your key');
    expect(server.log()).toMatch(/attach-refused conn=\d+ session=0 id=1 key=SHA256:\S+ comment=test-id_other reason="opened by another key"/);

    await sshInTmux('again', server, ['attach', '1']);
    await waitPane('again', /^owner-screen-marker$/m);
    await tmux('send-keys', '-t', 'again', 'exit', 'Enter');
    await waitPane('again', /SSH-EXIT=0/);
  });

  it('a session nobody reattaches expires: its jobs end and no process is left', async () => {
    const server = await startServer({ args: ['--no-banner', '--detach-timeout', '1s'] });
    servers.push(server);
    const marker = `${server.dir}/expiry-marker`;
    const shell = await sshInTmux('expiring', server);
    await waitPane('expiring', /# ?$/m);
    await tmux('send-keys', '-t', 'expiring', `/bin/sh -c 'sleep 1000; :' ${marker} &`, 'Enter');
    await tmux('send-keys', '-t', 'expiring', `/usr/bin/tail -f /dev/null`, 'Enter');
    let jobs: Array<[number, string]> = [];
    // sh (with the marker as $0), its sleep, and tail.
    await eventually(() => (jobs = descendants(server.process.pid!)).some(([, argv]) => argv === '/usr/bin/tail -f /dev/null'), 10_000);
    // (the pty program runs under a helper that allocates its terminal: not asserted here)
    expect(jobs.map(([, argv]) => argv)).toEqual(expect.arrayContaining([`/bin/sh -c sleep 1000; : ${marker}`, '/usr/bin/tail -f /dev/null', 'sleep 1000']));
    process.kill(sshPid(shell), 'SIGKILL');
    await eventually(() => /expire id=1 reason="nobody attached within 1000 ms"/.test(server.log()), 10_000);
    expect(server.log()).toMatch(/expire id=1 reason="nobody attached within 1000 ms"/);
    // Every job seen earlier is dead (not just gone from below breakglassd: reparented
    // processes would still count), and nothing new is left below the daemon.
    await eventually(() => jobs.every(([pid]) => !alive(pid)) && descendants(server.process.pid!).length === 0, 10_000);
    expect(jobs.filter(([pid]) => alive(pid))).toEqual([]);
    expect(descendants(server.process.pid!)).toEqual([]);
    await eventually(() => /session-end conn=\d+ session=0 id=1 type=shell/.test(server.log()));
    expect(server.log()).toMatch(/session-end conn=\d+ session=0 id=1 type=shell/);
    const after = await server.ssh('attach', { extraArgs: ['-tt'] });
    expect(after.code).toBe(1);
  });

  it('--detach-timeout 0 ends the session with its connection, and attach says detaching is off', async () => {
    const server = await startServer({ args: ['--no-banner', '--detach-timeout', '0'] });
    servers.push(server);
    const r = await server.ssh('attach', { extraArgs: ['-tt'] });
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout.toString()).toContain('attach: detached sessions are off on this server (breakglassd --detach-timeout 0)');
  });

  it('--record writes an asciicast v2 file that replays to the screen the user saw', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bg-test-'));
    const recDir = join(dir, 'rec');
    const server = await startServer({ dir, args: ['--no-banner', '--record', recDir, '--record-input'] });
    servers.push(server);
    try {
      await sshInTmux('rec', server);
      await waitPane('rec', /# ?$/m);
      await tmux('send-keys', '-t', 'rec', "printf '\\033[1mbold-marker\\033[0m caf\\303\\251\\n'", 'Enter');
      await waitPane('rec', /^bold-marker café$/m);
      await tmux('resize-window', '-t', 'rec', '-x', '90', '-y', '20');
      await tmux('send-keys', '-t', 'rec', 'echo after-resize-marker', 'Enter');
      await waitPane('rec', /^after-resize-marker$/m);
      await tmux('send-keys', '-t', 'rec', 'exit', 'Enter');
      const seen = await waitPane('rec', /SSH-EXIT=0/);
      await eventually(() => /record-end /.test(server.log()));
      const files = readdirSync(recDir);
      expect(files).toEqual([expect.stringMatching(/^\d{8}-\d{6}-s1\.cast$/)]);
      const file = join(recDir, files[0]!);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(server.log()).toContain(`record-start id=1 file=${file} input=true`);
      expect(server.log()).toMatch(new RegExp(`record-end id=1 file=${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} bytes=\\d+`));

      const cast = parseCast(readFileSync(file, 'utf8'));
      expect(cast.header).toMatchObject({ version: 2, width: 100, height: 30, env: { TERM: 'tmux-256color' } });
      expect(cast.events.filter((e) => e[1] === 'r').map((e) => e[2])).toContain('90x20');
      expect(cast.events.filter((e) => e[1] === 'i').map((e) => e[2]).join('')).toContain('echo after-resize-marker\r');
      // Replay the output and resizes into a fresh terminal: the user's last screen.
      const term = new XTerm({ cols: cast.header.width, rows: cast.header.height, allowProposedApi: true });
      for (const [, code, data] of cast.events) {
        if (code === 'o') await new Promise<void>((resolve) => term.write(data, resolve));
        const size = code === 'r' ? parseResize(data) : undefined;
        if (size) term.resize(size.cols, size.rows);
      }
      const buffer = term.buffer.active;
      const replayed: string[] = [];
      for (let y = 0; y < term.rows; y++) replayed.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
      term.dispose();
      const lines = seen.split('\n').slice(0, 20);
      const shellPart = lines.slice(0, lines.findIndex((l) => l.startsWith('SSH-EXIT=')));
      expect(shellPart.join('\n')).toContain('bold-marker café');
      expect(replayed.slice(0, shellPart.length)).toEqual(shellPart);
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a --record path that is not a directory stops the daemon with exit 2 and says what to do', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bg-test-'));
    try {
      const notDir = join(dir, 'file');
      await appendFile(notDir, '');
      const r = await runDaemon(['--port', '0', '--listen', '127.0.0.1', '--authorized-keys', notDir, '--host-key', join(dir, 'hk'), '--toolbox-dir', join(dir, 'tb'), '--record', notDir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`breakglassd: --record ${notDir}: ${notDir} exists and is not a directory; give a writable directory (it is created with mode 0700)`);
      const bad = await runDaemon(['--record-max-size', '1Q']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--record-max-size: "1Q" is not a size (use e.g. 500M, 1G, 64K)');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
