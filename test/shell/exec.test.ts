// The shell in exec mode, through the real OpenSSH client: `ssh dev 'command'`.
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, waitFor } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('exec over SSH', () => {
  it.each([
    ['echo "a  b" c\\ d', 'a  b c d\n', 0],
    ['false || echo x', 'x\n', 0],
    ['cd /tmp && pwd', '/tmp\n', 0],
    ['exit 3', '', 3],
    ['echo one; echo two >&2; echo three', 'one\nthree\n', 0],
    ['printf "%05.1f|%-3s|\\n" 3.14159 ab', '003.1|ab |\n', 0],
    ['kill -l 9; kill -l INT', 'KILL\n2\n', 0],
    ['X=1 env | grep ^X=', 'X=1\n', 0],
  ])('%j', async (command, stdout, code) => {
    const r = await server.ssh(command);
    expect(r.stdout.toString()).toBe(stdout);
    expect(r.code).toBe(code);
  });

  it('stderr is separate; nosuchcmd → 127 with "nosuchcmd: not found"', async () => {
    const r = await server.ssh('echo out; nosuchcmd');
    expect(r.stdout.toString()).toBe('out\n');
    expect(r.stderr).toBe('sh: nosuchcmd: not found\n');
    expect(r.code).toBe(127);
  });

  it('cat /dev/zero | head -c 1000000 | wc -c prints 1000000 and returns', async () => {
    const started = Date.now();
    const r = await server.ssh('cat /dev/zero | head -c 1000000 | wc -c');
    expect(r.stdout.toString().trim()).toBe('1000000');
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stdin reaches the command, EOF ends it, and unread input stays for the next command', async () => {
    const r = await server.ssh('echo start; cat; echo end', { input: 'line 1\nline 2\n' });
    expect(r.stdout.toString()).toBe('start\nline 1\nline 2\nend\n');
    const big = randomBytes(4 << 20);
    const hashed = await server.ssh('sha256sum', { input: big, timeoutMs: 30_000 });
    const expected = createHash('sha256').update(big).digest('hex');
    expect(hashed.stdout.toString()).toContain(expected);
  });

  it('binary output is byte-exact (no \\n translation without a pty)', async () => {
    const data = randomBytes(1 << 20);
    const file = join(server.dir, 'blob.bin');
    await writeFile(file, data);
    const r = await server.ssh(`cat ${file}`, { timeoutMs: 30_000 });
    expect(r.stdout.equals(data)).toBe(true);
  });

  it('a command killed by a signal is reported as such (exit-signal)', async () => {
    const r = await server.ssh('sh -c "kill -TERM \\$\\$"');
    // OpenSSH's client exits 255 when the remote command died of a signal.
    expect(r.code).toBe(255);
    // The audit log's session-end line (written as the channel closes) names the signal.
    await waitFor(() => server.log(), /signal.{0,5}TERM/);
  });

  it('unsupported syntax: a clear error naming the construct, exit 2', async () => {
    const r = await server.ssh('for i in 1 2; do echo $i; done');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("sh: 1:1: 'for' loops are not supported by the breakglass shell; run the toolbox's sh: sh -c 'for i in 1 2; do echo $i; done'\n");
  });

  it('built-ins take --help and reject bad options with exit 2', async () => {
    const help = await server.ssh('sleep --help');
    expect(help.stdout.toString()).toMatch(/^Usage: sleep/);
    expect(help.code).toBe(0);
    const bad = await server.ssh('history -q');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^history: invalid option -- 'q'/);
  });

  it('help lists every built-in with a summary', async () => {
    const r = await server.ssh('help');
    const out = r.stdout.toString();
    for (const name of ['echo', 'printf', 'cd', 'pwd', 'export', 'unset', 'env', 'which', 'type', 'sleep', 'time', 'history', 'clear', 'jobs', 'fg', 'bg', 'wait', 'kill', 'exit']) {
      expect(out).toMatch(new RegExp(`^${name}\\b.* \\S`, 'm'));
    }
  });

  it('time prints real/user/sys on stderr', async () => {
    const r = await server.ssh('time /bin/sleep 0.2');
    expect(r.stderr).toMatch(/^real\t0m 0\.2\ds\nuser\t0m \d+\.\d\ds\nsys\t0m \d+\.\d\ds\n$/);
  });

  it('background jobs and wait; disconnect leaves no process behind', async () => {
    const r = await server.ssh('/bin/sleep 0.2 & echo started; wait; echo waited $?');
    expect(r.stdout.toString()).toBe('started\nwaited 0\n');
    const marker = `bg-${Date.now()}`;
    const left = await server.ssh(`/bin/sleep 60 ${marker} & echo $!`);
    const pid = Number(left.stdout.toString().trim());
    expect(pid).toBeGreaterThan(0);
    // The session ended: its jobs get SIGHUP, then SIGKILL after the grace period.
    const started = Date.now();
    for (;;) {
      const alive = await import('node:fs/promises').then((fs) => fs.readFile(`/proc/${pid}/cmdline`, 'utf8').then((t) => t.includes(marker), () => false));
      if (!alive) break;
      if (Date.now() - started > 8000) throw new Error(`pid ${pid} still alive`);
      await new Promise((res) => setTimeout(res, 50));
    }
  });

  it('a shell without a pty (ssh -T) runs command lines from stdin, no prompt', async () => {
    const r = await server.ssh([], { input: 'echo hi\ncd /tmp; pwd\nfalse\nexit 4\necho never\n', extraArgs: ['-T'] });
    // After the server's banner: the commands' output only.
    expect(r.stdout.toString()).toMatch(/(^|\n)hi\n\/tmp\n$/);
    expect(r.code).toBe(4);
  });

  it('ssh -tt: the real OpenSSH client with a pty gets a prompt, echo and \\r\\n', async () => {
    const r = await server.ssh([], { input: 'echo from-pty\rexit 3\r', extraArgs: ['-tt'] });
    const out = r.stdout.toString();
    expect(out).toMatch(/[^\s:]+:[^\s]*# /);
    // The line as typed (echoed by the shell's editor), its output on its own line, with \r\n.
    expect(out).toContain('# echo from-pty');
    expect(out).toMatch(/\r\nfrom-pty\r\n/);
    // Input after the first line, read before the client's end of file, still runs.
    expect(r.code).toBe(3);
  });
});
