import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuiltin } from '../../../test/helpers/builtin-ctx.js';
import { ps } from './ps.js';

const FIXTURE = resolve(import.meta.dirname, '../../../test/fixtures/proc');
const opts = { services: { procRoot: FIXTURE } };
// Fixture processes belong to whoever checked the tree out (uid from the /proc/PID owner).
const owner = statSync(`${FIXTURE}/4242`).uid;
const user = owner === 0 ? 'root' : undefined;
const run = (args: string[], extra = {}) => runBuiltin(ps, args, { ...opts, ...extra });

describe('ps over the fixture tree', () => {
  it('prints the busybox layout by default', async () => {
    const { code, stdout } = await run([]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('  PID USER       TIME  COMMAND');
    expect(lines.map((l) => l.slice(0, 5).trim())).toEqual(['PID', '1', '2', '10', '666', '777', '4242']);
    expect(lines[2]).toMatch(/^ {4}2 \S+ +0:00 {2}\[kthreadd\]$/);
    expect(lines[4]).toMatch(/\[defunct-child\] <defunct>$/);
    // utime+stime 1801 ticks = 18 s
    expect(lines[6]).toMatch(/^ 4242 \S+ +0:18 {2}my weird --flag value with space$/);
    if (user) expect(lines[6]!.slice(6, 14)).toBe('root    ');
  });

  it('prints -ef in the procps layout', async () => {
    const lines = (await run(['-ef'])).stdout.split('\n');
    expect(lines[0]).toBe('UID        PID  PPID  C STIME TTY          TIME CMD');
    expect(lines.find((l) => / 777 /.test(l))).toMatch(/^\S+ +777 +1 +\d+ \S+ pts\/3 +00:16:40 nginx: worker process$/);
  });

  it('prints aux with BSD state flags', async () => {
    const lines = (await run(['aux'])).stdout.split('\n');
    expect(lines[0]).toBe('USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND');
    const nginx = lines.find((l) => /nginx/.test(l))!;
    // R, nice 5 → N, session leader → s, 2 threads → l, foreground on its tty → +
    expect(nginx).toMatch(/ 200000 +40000 pts\/3 +RNsl\+ /);
    expect(nginx).toMatch(/ 16:40 nginx: worker process$/);
    expect(lines.find((l) => / 4242 /.test(l))).toMatch(/ 482304 +48000 \? +Ssl /);
    expect((await run(['-aux'])).stdout.split('\n')[0]).toBe(lines[0]);
  });

  it('prints chosen columns with -o, headers renamed or hidden', async () => {
    const out = (await run(['-o', 'pid,ppid,stat,comm', '-p', '4242,666'])).stdout;
    expect(out).toBe('  PID  PPID STAT COMMAND\n  666  4242 Z    defunct-child <defunct>\n 4242     1 Ssl  (my (weird) name)\n');
    expect((await run(['-o', 'pid=', '-p', '1'])).stdout).toBe('    1\n');
    expect((await run(['-o', 'pid=PROCESS', '-p', '1'])).stdout).toBe('PROCESS\n      1\n');
    expect((await run(['-o', 'pid,rss,vsz', '-p', '777'])).stdout).toBe('  PID   RSS    VSZ\n  777 40000 200000\n');
  });

  it('cuts text columns that are not last, like procps', async () => {
    expect((await run(['-o', 'comm,pid', '-p', '4242'])).stdout).toBe('COMMAND           PID\n(my (weird) nam  4242\n');
    expect((await run(['-o', 'lstart', '-p', '1'])).stdout).toMatch(/^ +STARTED\n(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}\n$/);
  });

  it('draws a forest', async () => {
    const out = (await run(['--tree', '-o', 'pid,args'])).stdout.trimEnd().split('\n');
    expect(out).toEqual([
      '  PID COMMAND',
      '    1 /process_api --firecracker-init --addr 0.0.0.0:2024 --max-ws-buffer-size 32768 --block-local-connections --log-vsock-port 5002 --control-vsock-port 5001 --listen-vsock-port 2024 --tcp-readiness-only --auth-required',
      '  777  \\_ nginx: worker process',
      ' 4242  \\_ my weird --flag value with space',
      '  666      \\_ [defunct-child] <defunct>',
      '    2 [kthreadd]',
      '   10  \\_ [kworker/0:0H-kblockd]',
    ]);
  });

  it('sorts with --sort', async () => {
    const rows = (await run(['-o', 'pid,rss', '--sort=-rss,pid'])).stdout.trimEnd().split('\n').slice(1);
    const rss = rows.map((r) => Number(r.trim().split(/\s+/)[1]));
    expect(rss).toEqual([...rss].sort((a, b) => b - a));
  });

  it('prints JSON objects with the documented fields', async () => {
    const list = JSON.parse((await run(['--json'])).stdout) as Array<Record<string, unknown>>;
    expect(list.map((p) => p.pid)).toEqual([1, 2, 10, 666, 777, 4242]);
    expect(list.find((p) => p.pid === 4242)).toMatchObject({
      ppid: 1, uid: owner, state: 'S', rss_kb: 48000, vsz_kb: 482304, cpu_time: 18.01, comm: '(my (weird) name)',
      args: ['my weird', '--flag', 'value with space'], kernel_thread: false,
    });
    expect(list.find((p) => p.pid === 2)).toMatchObject({ kernel_thread: true, args: [], command: '[kthreadd]' });
    expect(typeof list[0]!.start_time).toBe('string');
  });

  it('selects by PID, user and command; nothing selected is exit 1', async () => {
    expect((await run(['-p', '777'])).stdout).toMatch(/^ +PID TTY +TIME CMD\n +777 pts\/3 +00:16:40 nginx\n$/);
    expect((await run(['-C', 'nginx', '-o', 'pid='])).stdout).toBe('  777\n');
    expect((await run(['-u', String(owner), '-o', 'pid='])).stdout.split('\n').filter(Boolean)).toHaveLength(6);
    const none = await run(['-p', '31337']);
    expect([none.code, none.stdout]).toEqual([1, '  PID TTY          TIME CMD\n']);
  });

  it('cuts lines at the terminal width on a tty, not with -w', async () => {
    const narrow = await run(['-ef'], { isTTY: true, terminal: { cols: 40, rows: 24 } });
    expect(Math.max(...narrow.stdout.split('\n').map((l) => l.length))).toBe(40);
    const wide = await run(['-efw'], { isTTY: true, terminal: { cols: 40, rows: 24 } });
    expect(Math.max(...wide.stdout.split('\n').map((l) => l.length))).toBeGreaterThan(40);
  });

  it.each([
    [['-Z'], "ps: invalid option -- 'Z'"],
    [['-o', 'pid,bogus'], 'unknown user-defined format specifier "bogus"'],
    [['-p', 'abc'], 'process ID list syntax error'],
    [['qqq'], 'unsupported option or operand "qqq"'],
    [['--sort', 'nope'], 'unknown sort key "nope"'],
    [['-u', 'no-such-user-xyz'], 'user name does not exist'],
  ])('%j is a usage error', async (args, message) => {
    const { code, stderr, stdout } = await run(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stdout).toBe('');
  });

  it('says so when /proc is not there', async () => {
    const { code, stderr } = await runBuiltin(ps, [], { services: { procRoot: '/nonexistent/proc' } });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^ps: cannot read \/nonexistent\/proc \(is \/proc mounted\?\): /);
  });

  it('prints usage for --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: ps/);
  });
});

describe('ps over the real /proc', () => {
  it('lists this test process with its command line', async () => {
    const { stdout } = await runBuiltin(ps, ['-o', 'pid,ppid,args', '-p', String(process.pid)]);
    const row = stdout.split('\n')[1]!;
    expect(row.trim().split(/\s+/).slice(0, 2)).toEqual([String(process.pid), String(process.ppid)]);
    expect(row).toContain(readFileSync('/proc/self/cmdline', 'utf8').split('\0').filter(Boolean).join(' '));
  });
});
