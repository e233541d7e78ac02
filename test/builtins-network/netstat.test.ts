// netstat and ss against fixture tables (exact layout) and against this machine's
// /proc (sockets the test itself opens, owned by this very process).
import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';
import { createSocket } from 'node:dgram';
import { mkdtemp, readFile, readlink, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeContext, runBuiltin } from '../helpers/builtin-ctx.js';
import { netstat } from '../../src/shell/builtins/netstat.js';
import { ss } from '../../src/shell/builtins/ss.js';

const FIXTURE_PROC = resolve(import.meta.dirname, '../fixtures/proc');
const fixture = { services: { procRoot: FIXTURE_PROC } };

describe('netstat on fixture tables', () => {
  it('-tan prints the net-tools layout for IPv4 and IPv6', async () => {
    const { code, stdout } = await runBuiltin(netstat, ['-tan'], fixture);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      'Active Internet connections (servers and established)',
      'Proto Recv-Q Send-Q Local Address           Foreign Address         State      ',
      'tcp        0      0 0.0.0.0:2024            0.0.0.0:*               LISTEN     ',
      'tcp        3      0 127.0.0.1:22            0.0.0.0:*               LISTEN     ',
      'tcp        0      0 192.0.2.2:49124         203.0.113.80:80         TIME_WAIT  ',
      'tcp        0     36 10.231.0.2:22           10.231.0.1:50000        ESTABLISHED',
      'tcp6       0      0 :::22                   :::*                    LISTEN     ',
      'tcp6       0      0 ::1:4568                :::*                    LISTEN     ',
      'tcp6       0      0 ::ffff:127.0.0.1:80     ::ffff:127.0.0.1:54321  ESTABLISHED',
      'tcp6       0      0 fe80::fc:ff:fe0e:1:8080 :::*                    LISTEN     ',
      '',
    ]);
  });

  it('default: connections only; -l: servers only; ports named without -n', async () => {
    const def = await runBuiltin(netstat, ['-t'], fixture);
    expect(def.stdout).toContain('(w/o servers)');
    expect(def.stdout).toContain('10.231.0.2:ssh          10.231.0.1:50000        ESTABLISHED');
    expect(def.stdout).toContain('203.0.113.80:http');
    expect(def.stdout).not.toContain('LISTEN');
    const listen = await runBuiltin(netstat, ['-tl'], fixture);
    expect(listen.stdout).toContain('(only servers)');
    expect(listen.stdout).not.toContain('ESTABLISHED');
    expect(listen.stdout).toContain(':::ssh');
  });

  it('-p names the owning process from /proc/PID/fd (- when unknown)', async () => {
    const { stdout } = await runBuiltin(netstat, ['-tlnp'], fixture);
    const lines = stdout.split('\n');
    expect(lines[1]).toBe('Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    ');
    expect(lines).toContain('tcp        3      0 127.0.0.1:22            0.0.0.0:*               LISTEN      4242/(my (weird) name)');
    expect(lines).toContain('tcp        0      0 0.0.0.0:2024            0.0.0.0:*               LISTEN      -                   ');
  });

  it('-u shows UDP, state blank unless connected; -4/-6 restrict the family', async () => {
    const { stdout } = await runBuiltin(netstat, ['-uan'], fixture);
    expect(stdout).toContain('udp        0      0 0.0.0.0:5353            0.0.0.0:*                          \n');
    expect(stdout).toContain('udp        0      0 10.231.0.2:49152        10.231.0.1:53           ESTABLISHED\n');
    expect(stdout).toContain('udp6       0      0 :::546                  :::*');
    const v4 = await runBuiltin(netstat, ['-uan4'], fixture);
    expect(v4.stdout).not.toContain('udp6');
  });

  it('-x lists Unix sockets with flags, types, states and paths', async () => {
    const { stdout } = await runBuiltin(netstat, ['-xa'], fixture);
    expect(stdout.split('\n')).toEqual([
      'Active UNIX domain sockets (servers and established)',
      'Proto RefCnt Flags       Type       State         I-Node   Path',
      'unix  2      [ ACC ]     STREAM     LISTENING     20934    /run/gokrazy-http.sock',
      'unix  3      [ ]         STREAM     CONNECTED     1062     ',
      'unix  2      [ ]         DGRAM                    1070     @abstract name',
      'unix  2      [ ACC ]     SEQPACKET  LISTENING     1071     /tmp/with space.sock',
      '',
    ]);
  });

  it('--json gives one array with every selected socket', async () => {
    const { stdout } = await runBuiltin(netstat, ['-tlnp', '--json'], fixture);
    const rows = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(5);
    expect(rows[1]).toMatchObject({ proto: 'tcp', localAddress: '127.0.0.1', localPort: 22, state: 'LISTEN', pid: 4242, program: '(my (weird) name)', recvQ: 3 });
    const empty = await runBuiltin(netstat, ['-w', '--json'], fixture);
    expect(JSON.parse(empty.stdout)).toEqual([]);
  });

  it('a reader that went away (netstat | head -1) ends netstat and ss with BrokenPipe', async () => {
    for (const builtin of [netstat, ss]) {
      const t = makeContext({ services: { procRoot: FIXTURE_PROC } });
      t.ctx.stdout.destroy();
      await expect(builtin.run(['-tan'], t.ctx)).rejects.toMatchObject({ name: 'BrokenPipe' });
    }
  });

  it('bad flags: exit 2 with a hint; --help documents the flags', async () => {
    const bad = await runBuiltin(netstat, ['-Q'], fixture);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("netstat: invalid option -- 'Q'");
    const help = await runBuiltin(netstat, ['--help'], fixture);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('-p, --program');
  });

  it('a missing /proc/net is an empty listing, a malformed one a clear error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bg-net-'));
    try {
      const empty = await runBuiltin(netstat, ['-tan'], { services: { procRoot: dir } });
      expect(empty.code).toBe(0);
      expect(empty.stdout.split('\n')).toHaveLength(3);
      const { mkdir, writeFile } = await import('node:fs/promises');
      await mkdir(join(dir, 'net'));
      await writeFile(join(dir, 'net', 'tcp'), 'header\n   0: garbage\n');
      const bad = await runBuiltin(netstat, ['-tan'], { services: { procRoot: dir } });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/^netstat: cannot read .*net: \/proc\/net\/tcp: expected at least 10 fields/);
      const noProc = await runBuiltin(ss, ['-tlp'], { services: { procRoot: join(dir, 'missing') } });
      expect(noProc.code).toBe(1);
      expect(noProc.stderr).toMatch(/^ss: cannot list processes in .*missing: ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('ss on fixture tables', () => {
  it('-tan prints the ss layout with bracketed IPv6', async () => {
    const { code, stdout } = await runBuiltin(ss, ['-tan'], fixture);
    expect(code).toBe(0);
    expect(stdout.split('\n')).toEqual([
      'State      Recv-Q Send-Q        Local Address:Port           Peer Address:Port   Process',
      'LISTEN     0      0                   0.0.0.0:2024                0.0.0.0:*',
      'LISTEN     3      0                 127.0.0.1:22                  0.0.0.0:*',
      'TIME-WAIT  0      0                 192.0.2.2:49124          203.0.113.80:80',
      'ESTAB      0      36               10.231.0.2:22               10.231.0.1:50000',
      'LISTEN     0      0                      [::]:22                     [::]:*',
      'LISTEN     0      0                     [::1]:4568                   [::]:*',
      'ESTAB      0      0        [::ffff:127.0.0.1]:80       [::ffff:127.0.0.1]:54321',
      'LISTEN     0      0      [fe80::fc:ff:fe0e:1]:8080                   [::]:*',
      '',
    ]);
  });

  it('default shows connected sockets of every kind with a Netid column, no TIME-WAIT', async () => {
    const { stdout } = await runBuiltin(ss, [], fixture);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^Netid State {6}Recv-Q/);
    expect(stdout).toContain('tcp   ESTAB');
    expect(stdout).toContain('udp   ESTAB');
    expect(stdout).toContain('u_str ESTAB');
    expect(stdout).not.toContain('TIME-WAIT');
    expect(stdout).not.toContain('LISTEN');
  });

  it('-lp shows users:(("name",pid=N,fd=N)); -x shows paths and inodes', async () => {
    const { stdout } = await runBuiltin(ss, ['-tlnp'], fixture);
    expect(stdout).toContain('LISTEN     3      0                 127.0.0.1:22                  0.0.0.0:*      users:(("(my (weird) name)",pid=4242,fd=3))');
    const unix = await runBuiltin(ss, ['-xl'], fixture);
    expect(unix.stdout.split('\n')).toEqual([
      'Netid State      Recv-Q Send-Q        Local Address:Port           Peer Address:Port   Process',
      'u_str LISTEN     0      0      /run/gokrazy-http.sock 20934                     * 0',
      'u_dgr UNCONN     0      0            @abstract name 1070                      * 0',
      'u_seq LISTEN     0      0      /tmp/with space.sock 1071                      * 0',
      '',
    ]);
  });

  it('-H drops the header; filters are refused with a hint', async () => {
    const { stdout } = await runBuiltin(ss, ['-tlnH'], fixture);
    expect(stdout.split('\n')[0]).toMatch(/^LISTEN/);
    const bad = await runBuiltin(ss, ['-t', 'state', 'established'], fixture);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('use grep');
  });
});

describe('netstat and ss on this machine', () => {
  let server: Server;
  let server6: Server | undefined;
  let client: Socket;
  let port = 0;
  let port6 = 0;
  const comm = (): Promise<string> => readFile('/proc/self/comm', 'utf8').then((t) => t.trim());

  beforeAll(async () => {
    server = createServer((s) => s.on('error', () => undefined));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
    client = connect(port, '127.0.0.1');
    await new Promise<void>((r) => client.once('connect', () => r()));
    try {
      const s6 = createServer();
      await new Promise<void>((r, j) => {
        s6.once('error', j);
        s6.listen(0, '::1', r);
      });
      server6 = s6;
      port6 = (s6.address() as { port: number }).port;
    } catch {
      server6 = undefined; // no IPv6 loopback here
    }
  });
  afterAll(async () => {
    client.destroy();
    await new Promise((r) => server.close(r));
    if (server6) await new Promise((r) => server6!.close(r));
  });

  it('netstat -tln shows the port this test opened; -p names this process', async () => {
    const { code, stdout } = await runBuiltin(netstat, ['-tlnp'], {});
    expect(code).toBe(0);
    const line = stdout.split('\n').find((l) => l.includes(`127.0.0.1:${port} `));
    expect(line).toBeDefined();
    expect(line).toMatch(new RegExp(`^tcp +0 +0 127\\.0\\.0\\.1:${port} +0\\.0\\.0\\.0:\\* +LISTEN +${process.pid}/${(await comm()).replace(/[()]/g, '\\$&')}`));
    if (server6) expect(stdout).toMatch(new RegExp(`tcp6 +0 +0 ::1:${port6} +:::\\* +LISTEN +${process.pid}/`));
  });

  it('netstat -tn shows both ends of the established connection', async () => {
    const { stdout } = await runBuiltin(netstat, ['-tn'], {});
    const local = `127.0.0.1:${client.localPort}`;
    expect(stdout).toMatch(new RegExp(`tcp +0 +0 ${local.replace(/\./g, '\\.')} +127\\.0\\.0\\.1:${port} +ESTABLISHED`));
    expect(stdout).toMatch(new RegExp(`tcp +0 +0 127\\.0\\.0\\.1:${port} +${local.replace(/\./g, '\\.')} +ESTABLISHED`));
  });

  it('netstat -uln shows a bound UDP socket', async () => {
    const udp = createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    try {
      const { stdout } = await runBuiltin(netstat, ['-ulnp'], {});
      expect(stdout).toMatch(new RegExp(`udp +0 +0 127\\.0\\.0\\.1:${udp.address().port} +0\\.0\\.0\\.0:\\* +${process.pid}/`));
    } finally {
      udp.close();
    }
  });

  it('netstat -xlp and ss -xlp show a listening Unix socket with its owner', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bg-unix-'));
    const path = join(dir, 'test.sock');
    const unixServer = createServer();
    await new Promise<void>((r) => unixServer.listen(path, r));
    try {
      const { stdout } = await runBuiltin(netstat, ['-xlp'], {});
      expect(stdout).toMatch(new RegExp(`unix  \\d+ +\\[ ACC \\] +STREAM +LISTENING +\\d+ +${process.pid}/\\S.* ${path}\\n`));
      const ssOut = await runBuiltin(ss, ['-xlp'], {});
      expect(ssOut.stdout).toMatch(new RegExp(`u_str LISTEN .*${path} \\d+ .*users:\\(\\("[^"]+",pid=${process.pid},fd=\\d+\\)\\)`));
    } finally {
      await new Promise((r) => unixServer.close(r));
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('ss -tlnp shows the port with users:((comm,pid,fd)) and the fd really is that socket', async () => {
    const { stdout } = await runBuiltin(ss, ['-tlnp'], {});
    const line = stdout.split('\n').find((l) => l.includes(`127.0.0.1:${port} `));
    expect(line).toBeDefined();
    const match = new RegExp(`^LISTEN .*127\\.0\\.0\\.1:${port} +0\\.0\\.0\\.0:\\* +users:\\(\\("([^"]+)",pid=${process.pid},fd=(\\d+)\\)\\)$`).exec(line!);
    expect(match).not.toBeNull();
    expect(match![1]).toBe(await comm());
    const link = await readlink(`/proc/self/fd/${match![2]}`);
    expect(link).toMatch(/^socket:\[\d+\]$/);
    // The inode must be the listening socket's, as /proc/net/tcp says.
    const tcp = await readFile('/proc/net/tcp', 'latin1');
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
    const row = tcp.split('\n').find((l) => l.includes(`0100007F:${hexPort} 00000000:0000 0A`));
    expect(row?.trim().split(/\s+/)[9]).toBe(link.slice(8, -1));
  });

  it('netstat --json -tl agrees with what ss (iproute2, netlink) reports for this port', async () => {
    const { stdout } = await runBuiltin(netstat, ['-tln', '--json'], {});
    const ours = (JSON.parse(stdout) as Array<{ localAddress: string; localPort: number }>).filter((r) => r.localPort === port);
    expect(ours).toEqual([expect.objectContaining({ localAddress: '127.0.0.1', localPort: port, state: 'LISTEN' })]);
    const { execFileSync } = await import('node:child_process');
    let real: string;
    try {
      real = execFileSync('ss', ['-tlnH', `sport = :${port}`], { encoding: 'utf8' });
    } catch {
      return; // no iproute2 ss on this machine
    }
    expect(real).toContain(`127.0.0.1:${port}`);
  });

  it('the fd scan only happens with -p (no /proc/PID access otherwise)', async () => {
    // A proc root with a net/ directory but an unreadable PID entry: without -p it works.
    const dir = await mkdtemp(join(tmpdir(), 'bg-net-'));
    try {
      const { mkdir, symlink } = await import('node:fs/promises');
      await mkdir(join(dir, 'net'));
      await symlink('/proc/net/tcp', join(dir, 'net', 'tcp'));
      await symlink('/nonexistent', join(dir, '1'));
      const { code, stdout } = await runBuiltin(netstat, ['-tln'], { services: { procRoot: dir } });
      expect(code).toBe(0);
      expect(stdout).toContain(`127.0.0.1:${port}`);
      expect(await readdir(dir)).toContain('1');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
