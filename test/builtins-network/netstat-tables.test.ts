// netstat -r / -i / -e, compared with net-tools' own netstat where it is installed,
// and exact layouts on fixture tables.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuiltin } from '../helpers/builtin-ctx.js';
import { netstat } from '../../src/shell/builtins/netstat.js';

const FIXTURE_PROC = resolve(import.meta.dirname, '../fixtures/proc');
const fixture = { services: { procRoot: FIXTURE_PROC } };

function realNetstat(args: string[]): string | undefined {
  try {
    return execFileSync('netstat', args, { encoding: 'utf8' });
  } catch {
    return undefined; // net-tools not installed
  }
}

describe('netstat -r', () => {
  it('prints the kernel IP routing table from fixtures', async () => {
    const { code, stdout } = await runBuiltin(netstat, ['-rn'], fixture);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'Kernel IP routing table',
        'Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface',
        '0.0.0.0         10.231.0.1      0.0.0.0         UG        0 0          0 eth0',
        '10.231.0.0      0.0.0.0         255.255.255.0   U         0 0          0 eth0',
        '192.168.0.0     0.0.0.0         255.255.255.0   U         0 0          0 wlan0',
        '',
      ].join('\n'),
    );
    expect((await runBuiltin(netstat, ['-r'], fixture)).stdout).toContain('\ndefault         10.231.0.1 ');
  });

  it('is identical to net-tools netstat -rn on this machine', async () => {
    if (realNetstat(['-rn']) === undefined) return;
    // The appliance test may add its veth route meanwhile: retry until a stable moment.
    let ours = '';
    let real: string | undefined = '';
    for (let i = 0; i < 5; i++) {
      ours = (await runBuiltin(netstat, ['-rn'])).stdout;
      real = realNetstat(['-rn']);
      if (ours === real) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(ours).toBe(real);
  });
});

describe('netstat -i', () => {
  it('lists up interfaces with net-tools columns and flags like net-tools', async () => {
    const { code, stdout } = await runBuiltin(netstat, ['-i']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.slice(0, 2)).toEqual(['Kernel Interface table', 'Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg']);
    expect(stdout).toMatch(/^lo +65536 +\d+ +0 +0 +0 +\d+ +0 +0 +0 LRU$/m);
    if (realNetstat(['-i']) === undefined) return;
    // Counters move between the two runs; names, MTUs and flags must agree.
    const shape = (text: string): string[] =>
      text.trim().split('\n').slice(2).map((l) => {
        const f = l.split(/\s+/);
        return `${f[0]} ${f[1]} ${f[10]}`;
      }).sort();
    let ours: string[] = [];
    let theirs: string[] = [];
    for (let i = 0; i < 5; i++) {
      ours = shape((await runBuiltin(netstat, ['-i'])).stdout);
      theirs = shape(realNetstat(['-i'])!);
      if (JSON.stringify(ours) === JSON.stringify(theirs)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(ours).toEqual(theirs);
  });

  it('-r and -i together is a usage error', async () => {
    const r = await runBuiltin(netstat, ['-ri']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('-r and -i cannot be combined');
  });
});

describe('netstat -e', () => {
  it('adds User and Inode columns (net-tools layout)', async () => {
    const { stdout } = await runBuiltin(netstat, ['-tlnep'], fixture);
    const lines = stdout.split('\n');
    expect(lines[1]).toBe('Proto Recv-Q Send-Q Local Address           Foreign Address         State       User       Inode      PID/Program name    ');
    expect(lines).toContain('tcp        3      0 127.0.0.1:22            0.0.0.0:*               LISTEN      0          5678       4242/(my (weird) name)');
    const named = await runBuiltin(netstat, ['-tle'], fixture);
    expect(named.stdout).toContain('LISTEN      root       5678      ');
  });

  it('matches net-tools netstat -tlne for the listeners both see', async () => {
    const real = realNetstat(['-tlne']);
    if (real === undefined) return;
    const ours = (await runBuiltin(netstat, ['-tlne'])).stdout;
    const rows = (text: string): Set<string> => new Set(text.split('\n').filter((l) => /^tcp/.test(l)).map((l) => l.trimEnd()));
    const theirs = rows(real);
    const mine = rows(ours);
    // Sockets may open or close between the two runs; most must agree exactly.
    const common = [...theirs].filter((l) => mine.has(l));
    expect(common.length).toBeGreaterThanOrEqual(Math.max(1, theirs.size - 3));
  });
});
