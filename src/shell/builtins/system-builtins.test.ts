// free, uptime, uname, hostname, sysctl, mount, umount, date, dmesg, lsof, top called
// directly with a hand-made context over the fixture tree (and temp copies for writes).
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { machine, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeContext, runBuiltin } from '../../../test/helpers/builtin-ctx.js';
import { date, parseDateArg, strftime, dateFields } from './date.js';
import { df } from './df.js';
import { dmesg, splitRecords } from './dmesg.js';
import { free } from './free.js';
import { hostname } from './hostname.js';
import { accessMode, lsof } from './lsof.js';
import { mount } from './mount.js';
import { SYSTEM_BUILTINS } from './system.js';
import { sysctl } from './sysctl.js';
import { TOP_COLUMNS, scaleKb, top } from './top.js';
import { umount } from './umount.js';
import { uname } from './uname.js';
import { formatPrettyUptime, formatUptimeLine, uptime } from './uptime.js';

const FIXTURE = resolve(import.meta.dirname, '../../../test/fixtures/proc');
const fx = { services: { procRoot: FIXTURE } };
const temp = mkdtempSync(join(tmpdir(), 'bg-sys-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('registry', () => {
  it('registers every system built-in with usage and summary', () => {
    expect(SYSTEM_BUILTINS.map((b) => b.name)).toEqual(['ps', 'top', 'lsof', 'mount', 'umount', 'df', 'free', 'uptime', 'dmesg', 'uname', 'hostname', 'date', 'sysctl']);
    for (const b of SYSTEM_BUILTINS) expect(b.usage).toMatch(new RegExp(`^Usage: ${b.name}`));
    expect(top.rawInput).toBe(true);
  });
  it.each(SYSTEM_BUILTINS.map((b) => [b.name, b] as const))('%s --help prints its usage', async (_n, b) => {
    const r = await runBuiltin(b, ['--help'], fx);
    expect([r.code, r.stdout]).toEqual([0, b.usage]);
  });
});

describe('free', () => {
  const mem = Object.fromEntries(
    readFileSync(`${FIXTURE}/meminfo`, 'utf8').trim().split('\n').map((l) => [l.split(':')[0], Number.parseInt(l.split(':')[1]!, 10)]),
  ) as Record<string, number>;
  it('prints the procps-ng layout in KiB', async () => {
    const { code, stdout } = await runBuiltin(free, [], fx);
    expect(code).toBe(0);
    const [head, memLine, swap] = stdout.split('\n');
    expect(head).toBe('               total        used        free      shared  buff/cache   available');
    const values = memLine!.split(/\s+/).slice(1).map(Number);
    expect(values).toEqual([
      mem.MemTotal, mem.MemTotal! - mem.MemAvailable!, mem.MemFree, mem.Shmem,
      mem.Buffers! + mem.Cached! + mem.SReclaimable!, mem.MemAvailable,
    ]);
    expect(memLine!.startsWith('Mem:    ')).toBe(true);
    expect(swap).toMatch(/^Swap: +\d+ +\d+ +\d+$/);
  });
  it('scales with -m and -h, and prints JSON', async () => {
    const m = (await runBuiltin(free, ['-m'], fx)).stdout.split('\n')[1]!.split(/\s+/);
    expect(Number(m[1])).toBe(Math.floor(mem.MemTotal! / 1024));
    expect((await runBuiltin(free, ['-h'], fx)).stdout.split('\n')[1]).toMatch(/^Mem: +\d+(\.\d)?Gi /);
    const json = JSON.parse((await runBuiltin(free, ['--json'], fx)).stdout);
    expect(json.mem.total).toBe(mem.MemTotal);
    expect(json.swap.total).toBe(mem.SwapTotal);
  });
  it('fails clearly without meminfo, and on bad flags', async () => {
    const r = await runBuiltin(free, [], { services: { procRoot: temp } });
    expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/^free: cannot read .*meminfo/)]);
    expect((await runBuiltin(free, ['-z'], fx)).code).toBe(2);
  });
});

describe('uptime', () => {
  it.each([
    [125, ' 10:01:02 up 2 min,  load average: 0.00, 0.01, 0.05'],
    [3 * 86400 + 2 * 3600 + 3 * 60, ' 10:01:02 up 3 days,  2:03,  load average: 0.00, 0.01, 0.05'],
    [86400 + 60, ' 10:01:02 up 1 day, 1 min,  load average: 0.00, 0.01, 0.05'],
    [11 * 3600, ' 10:01:02 up 11:00,  load average: 0.00, 0.01, 0.05'],
  ])('%i s → %j', (secs, line) => {
    expect(formatUptimeLine(new Date(2026, 10, 27, 10, 1, 2), secs, [0, 0.01, 0.05])).toBe(line);
  });
  it('pretty-prints', () => {
    expect(formatPrettyUptime(3 * 86400 + 2 * 3600 + 3 * 60)).toBe('up 3 days, 2 hours, 3 minutes');
  });
  it('reads the fixture', async () => {
    const load = readFileSync(`${FIXTURE}/loadavg`, 'utf8').split(' ').slice(0, 3).join(', ');
    const { stdout } = await runBuiltin(uptime, [], fx);
    expect(stdout).toMatch(new RegExp(`^ \\d\\d:\\d\\d:\\d\\d up .*,  load average: ${load}\\n$`));
    expect(JSON.parse((await runBuiltin(uptime, ['--json'], fx)).stdout).uptime_seconds).toBe(Number(readFileSync(`${FIXTURE}/uptime`, 'utf8').split(' ')[0]));
  });
});

describe('uname and hostname', () => {
  const k = (f: string): string => readFileSync(`${FIXTURE}/sys/kernel/${f}`, 'utf8').trim();
  it('prints the coreutils -a order from /proc/sys/kernel', async () => {
    expect((await runBuiltin(uname, ['-a'], fx)).stdout).toBe(`${k('ostype')} ${k('hostname')} ${k('osrelease')} ${k('version')} ${machine()} GNU/Linux\n`);
    expect((await runBuiltin(uname, [], fx)).stdout).toBe('Linux\n');
    expect((await runBuiltin(uname, ['-rm'], fx)).stdout).toBe(`${k('osrelease')} ${machine()}\n`);
    expect((await runBuiltin(uname, ['--kernel-release'], fx)).stdout).toBe(`${k('osrelease')}\n`);
    expect((await runBuiltin(uname, ['-p'], fx)).stdout).toBe('unknown\n');
    expect((await runBuiltin(uname, ['-q'], fx)).code).toBe(2);
  });
  it('prints and sets the host name through /proc/sys/kernel/hostname', async () => {
    expect((await runBuiltin(hostname, [], fx)).stdout).toBe(`${k('hostname')}\n`);
    const root = join(temp, 'hn');
    cpSync(FIXTURE, root, { recursive: true, verbatimSymlinks: true });
    writeFileSync(`${root}/sys/kernel/hostname`, 'pi.example.org\n');
    expect((await runBuiltin(hostname, ['-s'], { services: { procRoot: root } })).stdout).toBe('pi\n');
    expect((await runBuiltin(hostname, ['gadget'], { services: { procRoot: root } })).code).toBe(0);
    expect(readFileSync(`${root}/sys/kernel/hostname`, 'utf8')).toBe('gadget');
    const bad = await runBuiltin(hostname, ['bad name!'], { services: { procRoot: root } });
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('is not a valid host name')]);
    const ro = await runBuiltin(hostname, ['x'], { services: { procRoot: join(temp, 'missing') } });
    expect([ro.code, ro.stderr]).toEqual([1, expect.stringContaining('sethostname(2)')]);
  });
});

describe('sysctl', () => {
  it('reads values by dotted and slashed names', async () => {
    expect((await runBuiltin(sysctl, ['kernel.ostype', 'vm/swappiness'], fx)).stdout).toBe(
      `kernel.ostype = Linux\nvm.swappiness = ${readFileSync(`${FIXTURE}/sys/vm/swappiness`, 'utf8').trim()}\n`,
    );
    expect((await runBuiltin(sysctl, ['-n', 'kernel.ostype'], fx)).stdout).toBe('Linux\n');
    expect((await runBuiltin(sysctl, ['net.ipv4.conf.eth0/100.rp_filter'], fx)).stdout).toBe('net.ipv4.conf.eth0/100.rp_filter = 0\n');
  });
  it('lists everything with -a, sorted, and filters by pattern', async () => {
    const all = (await runBuiltin(sysctl, ['-a'], fx)).stdout.trimEnd().split('\n');
    expect(all).toContain('kernel.hostname = vm');
    expect(all).toContain('net.ipv4.conf.eth0/100.rp_filter = 0');
    expect(all.map((l) => l.split(' = ')[0])).toEqual([...all.map((l) => l.split(' = ')[0])].sort());
    expect((await runBuiltin(sysctl, ['-a', 'ip_forward'], fx)).stdout).toBe('net.ipv4.ip_forward = 1\n');
    expect(JSON.parse((await runBuiltin(sysctl, ['--json', 'kernel.ostype'], fx)).stdout)).toEqual({ 'kernel.ostype': 'Linux' });
  });
  it('writes with -w, NAME=VALUE and -p FILE', async () => {
    const root = join(temp, 'sc');
    cpSync(FIXTURE, root, { recursive: true, verbatimSymlinks: true });
    const o = { services: { procRoot: root } };
    expect((await runBuiltin(sysctl, ['-w', 'net.ipv4.ip_forward=0'], o)).stdout).toBe('net.ipv4.ip_forward = 0\n');
    expect(readFileSync(`${root}/sys/net/ipv4/ip_forward`, 'utf8')).toBe('0\n');
    expect((await runBuiltin(sysctl, ['-q', 'vm.swappiness=10'], o)).stdout).toBe('');
    writeFileSync(join(temp, 'my.conf'), '# c\nvm.swappiness = 33\n-no.such.key = 1\n');
    expect((await runBuiltin(sysctl, ['-p', join(temp, 'my.conf')], o)).code).toBe(0);
    expect(readFileSync(`${root}/sys/vm/swappiness`, 'utf8')).toBe('33\n');
  });
  it.each([
    [['no.such.key'], 1, 'sysctl: cannot stat /proc/sys/no/such/key: No such file or directory'],
    [['-w', 'kernel.ostype'], 1, 'must be of the form name=value'],
    [['kernel/../../../etc/passwd'], 1, 'invalid name'],
    [[], 2, 'no variables specified'],
  ])('%j fails with %i', async (args, code, message) => {
    const r = await runBuiltin(sysctl, args, fx);
    expect([r.code, r.stderr]).toEqual([code, expect.stringContaining(message)]);
  });
  it('-e ignores unknown keys', async () => {
    expect((await runBuiltin(sysctl, ['-e', 'no.such.key'], fx)).code).toBe(0);
  });
});

describe('mount and umount', () => {
  it('lists mountinfo in util-linux format, one line per entry', async () => {
    const lines = (await runBuiltin(mount, [], fx)).stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(readFileSync(`${FIXTURE}/self/mountinfo`, 'utf8').trim().split('\n').length);
    expect(lines).toContain('proc on /proc type proc (rw,relatime)');
    expect(lines.at(-1)).toBe('my tmp on /mnt/my disk type tmpfs (ro,nosuid,relatime,size=1024k)');
    expect((await runBuiltin(mount, ['-l'], fx)).stdout).toBe(`${lines.join('\n')}\n`);
  });
  it('filters by type and prints JSON', async () => {
    expect((await runBuiltin(mount, ['-t', 'proc,sysfs'], fx)).stdout).toBe('proc on /proc type proc (rw,relatime)\nsysfs on /sys type sysfs (rw,relatime)\n');
    expect((await runBuiltin(mount, ['-t', 'nocgroup'], fx)).stdout).not.toContain('type cgroup ');
    const json = JSON.parse((await runBuiltin(mount, ['--json'], fx)).stdout);
    expect(json.at(-1)).toMatchObject({ source: 'my tmp', target: '/mnt/my disk', fstype: 'tmpfs', options: 'ro,nosuid,relatime,size=1024k' });
  });
  it('says exactly why it cannot mount without a toolbox', async () => {
    const r = await runBuiltin(mount, ['-o', 'remount,rw', '/perm'], fx);
    expect([r.code, r.stderr]).toEqual([1, "mount: mounting needs the mount(2) system call, which the breakglass shell cannot make; upload a toolbox with busybox (see 'toolbox --help')\n"]);
    const u = await runBuiltin(umount, ['/mnt'], fx);
    expect([u.code, u.stderr]).toEqual([1, "umount: unmounting needs the umount(2) system call, which the breakglass shell cannot make; upload a toolbox with busybox (see 'toolbox --help')\n"]);
    expect((await runBuiltin(umount, [], fx)).code).toBe(2);
  });
  it('delegates to a toolbox program with the same arguments', async () => {
    // A stand-in "busybox" that reports its argv (node is the interpreter; no shell needed).
    const fake = join(temp, 'busybox');
    writeFileSync(fake, `#!${process.execPath}\nconsole.log(JSON.stringify(process.argv.slice(2))); process.exit(3);\n`);
    chmodSync(fake, 0o755);
    const r = await runBuiltin(mount, ['-o', 'remount,rw', '/perm'], { ...fx, commands: { busybox: { kind: 'external', path: fake } } });
    expect([r.code, r.stdout]).toEqual([3, '["mount","-o","remount,rw","/perm"]\n']);
    const u = await runBuiltin(umount, ['-l', '/mnt'], { ...fx, commands: { busybox: { kind: 'external', path: fake } } });
    expect([u.code, u.stdout]).toEqual([3, '["umount","-l","/mnt"]\n']);
  });
  it('kills the delegate process group on abort', async () => {
    const slow = join(temp, 'slow-busybox');
    writeFileSync(slow, `#!${process.execPath}\nsetTimeout(() => {}, 60000);\n`);
    chmodSync(slow, 0o755);
    const t = makeContext({ ...fx, commands: { busybox: { kind: 'external', path: slow } } });
    const started = Date.now();
    const running = mount.run(['/dev/sda1', '/mnt'], t.ctx);
    setTimeout(() => t.abort(), 200);
    expect(await running).toBe(128 + 15);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('df', () => {
  it('shows the file system of a path, in 1K blocks by default', async () => {
    const { code, stdout } = await runBuiltin(df, ['/']);
    expect(code).toBe(0);
    const [head, row] = stdout.trimEnd().split('\n');
    expect(head).toMatch(/^Filesystem +1K-blocks +Used +Available +Use% +Mounted on$/);
    expect(row).toMatch(/^\S+ +\d+ +\d+ +\d+ +\d+% \/$/);
  });
  it('prints -h, -T, -i and --json', async () => {
    expect((await runBuiltin(df, ['-h', '/'])).stdout.split('\n')[0]).toMatch(/^Filesystem +Size +Used +Avail +Use% +Mounted on$/);
    expect((await runBuiltin(df, ['-T', '/proc'])).stdout).toMatch(/\nproc +proc +0 +0 +0 +- \/proc\n$/);
    expect((await runBuiltin(df, ['-i', '/'])).stdout.split('\n')[0]).toMatch(/^Filesystem +Inodes +IUsed +IFree +IUse% +Mounted on$/);
    const [root] = JSON.parse((await runBuiltin(df, ['--json', '/'])).stdout);
    expect(root).toMatchObject({ mounted_on: '/', size_bytes: expect.any(Number), use_percent: expect.any(Number) });
    expect(root.used_bytes + root.available_bytes).toBeLessThanOrEqual(root.size_bytes);
  });
  it('hides pseudo file systems unless -a', async () => {
    const plain = (await runBuiltin(df, [])).stdout;
    expect(plain).not.toMatch(/ \/proc$/m);
    expect((await runBuiltin(df, ['-a'])).stdout).toMatch(/^proc .* \/proc$/m);
  });
  it('reports a missing path and bad flags', async () => {
    const r = await runBuiltin(df, ['/no/such/dir']);
    expect([r.code, r.stderr]).toEqual([1, 'df: /no/such/dir: No such file or directory\n']);
    expect((await runBuiltin(df, ['--bogus'])).code).toBe(2);
  });
});

describe('date', () => {
  const f = dateFields(new Date(Date.UTC(2026, 10, 27, 10, 1, 2, 345)), true);
  it.each([
    ['%a %b %e %H:%M:%S %Z %Y', 'Fri Nov 27 10:01:02 UTC 2026'],
    ['%F %T', '2026-11-27 10:01:02'],
    ['%A %B %d %j %u %w', 'Friday November 27 331 5 5'],
    ['%I:%M %p %P %k %l', '10:01 AM am 10 10'],
    ['%s %N', '1795773662 345000000'],
    ['%V %G %g %U %C %y %D %R', '48 2026 26 47 20 26 11/27/26 10:01'],
    ['%z %:z %% %q', '+0000 +00:00 % %q'],
    ['%-d/%-m %_H', '27/11 10'],
  ])('strftime %j', (format, text) => expect(strftime(format, f)).toBe(text));
  it('pads %e for single-digit days and computes ISO weeks at year ends', () => {
    expect(strftime('%e|%V|%G', dateFields(new Date(Date.UTC(2027, 0, 1)), true))).toBe(' 1|53|2026');
  });
  it('prints -d, -u, -I and -R', async () => {
    expect((await runBuiltin(date, ['-u', '-d', '@0'])).stdout).toBe('Thu Jan  1 00:00:00 UTC 1970\n');
    expect((await runBuiltin(date, ['-u', '-d', '@86400', '-Iseconds'])).stdout).toBe('1970-01-02T00:00:00+00:00\n');
    expect((await runBuiltin(date, ['-u', '-d', '2026-11-27T10:01:02Z', '-I'])).stdout).toBe('2026-11-27\n');
    expect((await runBuiltin(date, ['-u', '-d', '@0', '-R'])).stdout).toBe('Thu, 01 Jan 1970 00:00:00 +0000\n');
    expect((await runBuiltin(date, ['-u', '-d', '@0', '+%Y'])).stdout).toBe('1970\n');
    expect(parseDateArg('garbage')).toBeUndefined();
  });
  it('prints now close to the real clock', async () => {
    const secs = Number((await runBuiltin(date, ['+%s'])).stdout);
    expect(Math.abs(secs - Date.now() / 1000)).toBeLessThan(5);
  });
  it.each([
    [['-s', '2020-01-01'], 1, 'clock_settime(2)'],
    [['112710012026'], 1, 'clock_settime(2)'],
    [['-d', 'not a date'], 1, "invalid date 'not a date'"],
    [['-Ifortnight'], 2, "invalid argument 'fortnight'"],
    [['extra'], 2, "extra operand 'extra'"],
  ])('%j fails with %i', async (args, code, message) => {
    const r = await runBuiltin(date, args);
    expect([r.code, r.stderr]).toEqual([code, expect.stringContaining(message)]);
  });
});

describe('dmesg', () => {
  const dev = join(temp, 'dev');
  const records = '6,1,5140900,-;NET: Registered PF_INET6 protocol family\n SUBSYSTEM=net\n3,2,12345678901,-;eth0: link down\n4,3,12345678902,c;semi;colon\n';
  it('formats records from a kmsg file', async () => {
    cpSync(FIXTURE, join(temp, 'unused'), { recursive: true, verbatimSymlinks: true });
    rmSync(dev, { recursive: true, force: true });
    writeFileSync(join(temp, 'kmsg'), records);
    cpSync(join(temp, 'kmsg'), join(dev, 'kmsg'), { recursive: true });
    const r = await runBuiltin(dmesg, [], { services: { devRoot: dev } });
    expect([r.code, r.stdout]).toEqual([0, '[    5.140900] NET: Registered PF_INET6 protocol family\n[12345.678901] eth0: link down\n[12345.678902] semi;colon\n']);
    expect((await runBuiltin(dmesg, ['-r', '-l', 'err'], { services: { devRoot: dev } })).stdout).toBe('<3>[12345.678901] eth0: link down\n');
    expect(JSON.parse((await runBuiltin(dmesg, ['--json'], { services: { devRoot: dev } })).stdout)[1]).toEqual({ time_us: 12345678901, level: 'err', facility: 0, sequence: 2, message: 'eth0: link down' });
  });
  it('prints wall-clock times with -T', async () => {
    const btime = Number(/btime (\d+)/.exec(readFileSync(`${FIXTURE}/stat`, 'utf8'))![1]);
    const expected = new Date((btime + 5.1409) * 1000);
    const out = (await runBuiltin(dmesg, ['-T'], { services: { devRoot: dev, procRoot: FIXTURE } })).stdout.split('\n')[0]!;
    expect(out).toMatch(/^\[(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}\] NET: Registered PF_INET6 protocol family$/);
    expect(out).toContain(`${String(expected.getHours()).padStart(2, '0')}:${String(expected.getMinutes()).padStart(2, '0')}:${String(expected.getSeconds()).padStart(2, '0')} ${expected.getFullYear()}]`);
  });
  it('splits a buffer of several records', () => {
    expect(splitRecords(records)).toHaveLength(3);
  });
  it('explains a missing or unreadable /dev/kmsg', async () => {
    const r = await runBuiltin(dmesg, [], { services: { devRoot: join(temp, 'nodev') } });
    expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/^dmesg: .*kmsg does not exist/)]);
    expect((await runBuiltin(dmesg, ['-l', 'loud'])).code).toBe(2);
  });
  it('reads the real /dev/kmsg', async () => {
    const r = await runBuiltin(dmesg, []);
    if (r.code === 0) expect(r.stdout.split('\n')[0]).toMatch(/^\[ *\d+\.\d{6}\] /);
    else expect(r.stderr).toMatch(/^dmesg: /);
  });
  it('follows with -w until aborted', async () => {
    const t = makeContext({ services: { devRoot: dev } });
    const running = dmesg.run(['-w'], t.ctx);
    await new Promise((r) => setTimeout(r, 300));
    t.abort();
    expect(await running).toBe(130);
    expect(t.stdout()).toContain('eth0: link down');
  });
});

describe('lsof', () => {
  it('lists cwd, rtd, txt and fds with modes and types', async () => {
    const { code, stdout } = await runBuiltin(lsof, ['-p', '4242'], fx);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^COMMAND +PID USER +FD TYPE +DEVICE +SIZE\/OFF +NODE NAME$/);
    const byFd = Object.fromEntries(lines.slice(1).map((l) => [l.slice(27, 32).trim(), l]));
    expect(Object.keys(byFd)).toEqual(['cwd', 'rtd', 'txt', '0u', '1w', '3u', '4u']);
    expect(byFd['0u']).toMatch(/^\(my \(weir +4242 .* CHR +1,3 +0t0 +\d+ \/dev\/null$/);
    expect(byFd['1w']).toMatch(/ FIFO .* 1234 pipe:\[1234\]$/);
    expect(byFd['3u']).toMatch(/ sock .* 5678 socket:\[5678\]$/);
    expect(byFd['4u']).toMatch(/ a_inode .*anon_inode:\[eventfd\]$/);
  });
  it('filters by file and command, prints JSON', async () => {
    expect((await runBuiltin(lsof, ['/dev/null'], fx)).stdout.trimEnd().split('\n')).toHaveLength(3);
    expect((await runBuiltin(lsof, ['-c', 'nginx'], fx)).code).toBe(1);
    const json = JSON.parse((await runBuiltin(lsof, ['--json', '-p', '4242'], fx)).stdout);
    expect(json[3]).toMatchObject({ command: '(my (weird) name)', pid: 4242, fd: '0u', type: 'CHR', name: '/dev/null' });
  });
  it('finds a file this process holds open on the real /proc', async () => {
    const path = join(temp, 'held-open');
    writeFileSync(path, 'x');
    const { open } = await import('node:fs/promises');
    const handle = await open(path, 'r');
    try {
      const r = await runBuiltin(lsof, ['-p', String(process.pid), path]);
      expect(r.stdout).toMatch(new RegExp(` ${handle.fd}r +REG .* ${path}\\n$`));
    } finally {
      await handle.close();
    }
  });
  it('decodes access modes; bad arguments are usage errors', async () => {
    expect([accessMode('flags:\t0100002'), accessMode('flags:\t01'), accessMode('flags:\t0'), accessMode(undefined)]).toEqual(['u', 'w', 'r', '']);
    expect((await runBuiltin(lsof, ['-p', 'x'], fx)).code).toBe(2);
    expect((await runBuiltin(lsof, ['/no/such/file'], fx)).stderr).toContain('status error on /no/such/file');
  });
});

describe('top', () => {
  it('prints one batch frame with -b -n 1', async () => {
    const { code, stdout } = await runBuiltin(top, ['-b', '-n', '1'], fx);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^top - \d\d:\d\d:\d\d up .*load average: /);
    expect(lines[1]).toBe('Tasks:   6 total,   1 running,   4 sleeping,   0 stopped,   1 zombie');
    expect(lines[2]).toMatch(/^%Cpu\(s\): +[\d.]+ us, +[\d.]+ sy, .* st$/);
    expect(lines[3]).toMatch(/^MiB Mem : +[\d.]+ total, +[\d.]+ free, +[\d.]+ used, +[\d.]+ buff\/cache$/);
    expect(lines[6]).toBe(TOP_COLUMNS);
    expect(lines.slice(7).filter(Boolean)).toHaveLength(6);
    expect(lines.find((l) => l.includes('(my (weird) name)'))).toMatch(/^ +4242 \S+ +20 +0 +482304 +48000 +1600 S +0\.0 +[\d.]+ +0:18\.01 \(my \(weird\) name\)$/);
  });
  it('prints N frames and sorts by %CPU on the real /proc', async () => {
    const { stdout } = await runBuiltin(top, ['-b', '-n', '2', '-d', '0.2']);
    expect(stdout.split('\n').filter((l) => l.startsWith('top - '))).toHaveLength(2);
  });
  it('quits on q in interactive mode', async () => {
    const t = makeContext({ ...fx, isTTY: true, terminal: { cols: 60, rows: 10 } });
    const running = top.run([], t.ctx);
    setTimeout(() => t.stdin.write('q'), 700);
    expect(await running).toBe(0);
    const screen = t.stdout();
    expect(screen).toContain('\x1b[H');
    expect(screen).toContain('top - ');
  });
  it('stops on abort with 130', async () => {
    const t = makeContext({ ...fx });
    const running = top.run(['-b', '-d', '5'], t.ctx);
    setTimeout(() => t.abort(), 800);
    expect(await running).toBe(130);
  });
  it('scales wide memory figures and rejects bad numbers', async () => {
    expect([scaleKb(1234, 6), scaleKb(12_345_678, 6), scaleKb(123_456_789_0, 6)]).toEqual(['1234', '12056m', '1177g']);
    expect((await runBuiltin(top, ['-n', '0'], fx)).code).toBe(2);
    expect((await runBuiltin(top, ['-d', 'soon'], fx)).code).toBe(2);
  });
});
