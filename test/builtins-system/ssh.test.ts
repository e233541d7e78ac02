// The system built-ins over SSH with the real OpenSSH client against breakglassd, as a
// user runs them: `ssh dev 'ps | grep breakglassd'`, and compared with this machine's
// procps/util-linux/coreutils where those exist.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

async function ssh(command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const r = await server.ssh(command);
  return { code: r.code, stdout: r.stdout.toString(), stderr: r.stderr };
}

describe('system built-ins over ssh', () => {
  it('ps | grep finds breakglassd', async () => {
    const r = await ssh('ps | grep breakglassd');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^ *${server.process.pid} \\S+ +\\d+:\\d\\d  breakglassd --port 0 --listen 127\\.0\\.0\\.1 `, 'm'));
  });

  it('ps streams into a pipeline that stops reading early', async () => {
    const r = await ssh('ps -ef | head -1');
    const header = execFileSync('ps', ['-ef']).toString().split('\n')[0];
    expect([r.code, r.stdout]).toEqual([0, `${header}\n`]);
  });

  it('ps --json lists the PIDs of /proc at the same moment', async () => {
    const before = new Set(readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number));
    const r = await ssh('ps --json');
    const after = new Set(readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number));
    const listed = new Set((JSON.parse(r.stdout) as Array<{ pid: number }>).map((p) => p.pid));
    // Everything alive throughout was listed; what was listed but is in neither snapshot
    // can only be short-lived processes (other tests run beside this one).
    for (const pid of before) if (after.has(pid)) expect(listed, `pid ${pid}`).toContain(pid);
    const transient = [...listed].filter((pid) => !before.has(pid) && !after.has(pid));
    expect(transient.length).toBeLessThan(Math.max(10, listed.size / 10));
  });

  it('ps -ef matches procps for processes that outlive both runs', async () => {
    const ours = (await ssh('ps -ef')).stdout.trimEnd().split('\n');
    const theirs = execFileSync('ps', ['-ef']).toString().trimEnd().split('\n');
    expect(ours[0]).toBe(theirs[0]);
    const key = (line: string): string => {
      const f = line.trim().split(/\s+/);
      // kworker names carry the workqueue they serve at the moment: compare ids only.
      const cmd = f[7]!.startsWith('[kworker') ? '[kworker]' : f.slice(7).join(' ');
      return `${f[0]} ${f[1]} ${f[2]} ${cmd}`;
    };
    const theirsByPid = new Map(theirs.slice(1).map((l) => [l.trim().split(/\s+/)[1], key(l)]));
    let compared = 0;
    for (const line of ours.slice(1)) {
      const pid = line.trim().split(/\s+/)[1]!;
      const other = theirsByPid.get(pid);
      if (other === undefined || Number(pid) > 1000) continue; // short-lived or test processes
      expect(key(line)).toBe(other);
      compared++;
    }
    expect(compared).toBeGreaterThan(5);
  });

  it('mount prints one line per /proc/self/mounts entry, as util-linux does', async () => {
    const r = await ssh('mount');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(readFileSync('/proc/self/mounts', 'utf8').trim().split('\n').length);
    expect(lines).toEqual(execFileSync('mount').toString().trimEnd().split('\n'));
  });

  it('free agrees with /proc/meminfo', async () => {
    const r = await ssh('free');
    const mem = readFileSync('/proc/meminfo', 'utf8');
    const total = Number(/MemTotal:\s+(\d+)/.exec(mem)![1]);
    const available = Number(/MemAvailable:\s+(\d+)/.exec(mem)![1]);
    const row = r.stdout.split('\n')[1]!.split(/\s+/);
    expect(row[0]).toBe('Mem:');
    expect(Number(row[1])).toBe(total);
    expect(Math.abs(Number(row[6]) - available)).toBeLessThan(total * 0.05);
  });

  it('df -k agrees with GNU df within rounding for the same mount points', async () => {
    const parse = (text: string): Map<string, number[]> =>
      new Map(text.trimEnd().split('\n').slice(1).map((l) => {
        const f = l.trim().split(/\s+/);
        return [f.at(-1)!, f.slice(1, 4).map(Number)];
      }));
    const ours = parse((await ssh('df -k')).stdout);
    const theirs = parse(execFileSync('df', ['-k']).toString());
    expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
    for (const [mountPoint, [size, used]] of theirs) {
      const [oSize, oUsed] = ours.get(mountPoint)!;
      expect(oSize, mountPoint).toBe(size);
      expect(Math.abs(oUsed! - used!), mountPoint).toBeLessThanOrEqual(Math.max(1024, size! * 0.001));
    }
  });

  it('uname -a equals the host uname -a; hostname, uptime, date, sysctl', async () => {
    expect((await ssh('uname -a')).stdout).toBe(execFileSync('uname', ['-a']).toString());
    expect((await ssh('hostname')).stdout).toBe(`${readFileSync('/proc/sys/kernel/hostname', 'utf8').trim()}\n`);
    expect((await ssh('uptime')).stdout).toMatch(/^ \d\d:\d\d:\d\d up .*load average: \d+\.\d\d, \d+\.\d\d, \d+\.\d\d\n$/);
    const secs = Number((await ssh('date +%s')).stdout);
    expect(Math.abs(secs - Date.now() / 1000)).toBeLessThan(10);
    expect((await ssh('sysctl kernel.ostype')).stdout).toBe('kernel.ostype = Linux\n');
  });

  it('top -b -n 1 prints one frame and exits', async () => {
    const r = await ssh('top -b -n 1');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^top - .*\nTasks: .*\n%Cpu\(s\):.*\nMiB Mem : .*\nMiB Swap: .*\n\n +PID USER +PR +NI +VIRT +RES +SHR S +%CPU +%MEM +TIME\+ COMMAND\n/);
  });

  it('lsof shows the files of the daemon', async () => {
    const r = await ssh(`lsof -p ${server.process.pid}`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ txt +REG .*node/);
  });

  // The mount point does not exist, so nothing is mounted on this machine either way.
  it('mount without busybox on PATH says why; with it, delegates', async () => {
    const m = await ssh('PATH=/nonexistent mount -t tmpfs none /nonexistent/breakglass-test');
    expect([m.code, m.stderr]).toEqual([1, "mount: mounting needs the mount(2) system call, which the breakglass shell cannot make; upload a toolbox with busybox (see 'toolbox --help')\n"]);
    const hasBusybox = (await ssh('type busybox')).code === 0;
    const d = await ssh('mount -t tmpfs none /nonexistent/breakglass-test');
    if (hasBusybox) expect(d.stderr).toMatch(/mount: .*nonexistent\/breakglass-test.*No such file or directory/);
    else expect(d.stderr).toContain('mount(2)');
    expect(d.code).not.toBe(0);
  });

  it('every system built-in answers --help', async () => {
    for (const name of ['ps', 'top', 'lsof', 'mount', 'umount', 'df', 'free', 'uptime', 'dmesg', 'uname', 'hostname', 'date', 'sysctl']) {
      const r = await ssh(`${name} --help`);
      expect(r.code, name).toBe(0);
      expect(r.stdout, name).toMatch(new RegExp(`^Usage: ${name}`));
    }
  });
});
