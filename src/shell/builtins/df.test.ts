// df over a hand-made mount table and a fake file system whose statfs(2) answers are
// fixed, so the whole output (column widths, rounding, filters, errors) is pinned
// byte for byte. system-builtins.test.ts runs it against the real / as well.
import type { Stats, StatsFs } from 'node:fs';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeContext, runBuiltin } from '../../../test/helpers/builtin-ctx.js';
import { nodeFileSystem } from '../files/index.js';
import type { FileSystem } from '../files/index.js';
import { df } from './df.js';

const MOUNTINFO = `22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
28 27 8:1 / /boot rw,relatime - vfat /dev/vda1 rw
29 27 0:25 / /tmp rw,relatime - tmpfs tmpfs rw
30 27 254:0 /data /srv rw,relatime - ext4 /dev/vda rw
31 27 0:27 / /empty rw,relatime - tmpfs none rw
32 27 0:28 / /gone rw,relatime - tmpfs gone rw
`;

// st_dev as Linux encodes it (new_encode_dev): minor low byte, major, minor high bits.
const dev = (major: number, minor: number): number => (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);
const DEVS: Record<string, number> = {
  '/proc': dev(0, 21), '/': dev(254, 0), '/boot': dev(8, 1), '/tmp': dev(0, 25), '/srv': dev(254, 0), '/empty': dev(0, 27), '/gone': dev(0, 28),
};
const statfs = (bsize: number, blocks: number, bfree: number, bavail: number, files: number, ffree: number): StatsFs =>
  ({ type: 0, bsize, blocks, bfree, bavail, files, ffree }) as StatsFs;
const STATFS: Record<string, StatsFs> = {
  '/proc': statfs(4096, 0, 0, 0, 0, 0),
  '/': statfs(4096, 1_000_000, 400_000, 350_000, 65_536, 60_000),
  '/boot': statfs(1024, 524_288, 500_000, 500_000, 0, 0),
  '/tmp': statfs(4096, 2048, 2047, 2047, 100, 99),
  '/srv': statfs(4096, 1_000_000, 400_000, 350_000, 65_536, 60_000),
  '/empty': statfs(4096, 0, 0, 0, 0, 0),
};
const enoent = (path: string): Error => Object.assign(new Error(`ENOENT: no such file or directory, statfs '${path}'`), { code: 'ENOENT' });

/** The mount point a path lies under: the longest one prefixing it. */
const mountOf = (path: string): string | undefined =>
  Object.keys(DEVS)
    .filter((m) => m === '/' || path === m || path.startsWith(`${m}/`))
    .sort((a, b) => b.length - a.length)[0];

const fake: FileSystem = {
  ...nodeFileSystem,
  stat: (async (path: string) => {
    if (path.startsWith('/nope')) throw enoent(path);
    return { dev: DEVS[mountOf(path)!] } as Stats;
  }) as FileSystem['stat'],
  realpath: async (path) => path,
  statfs: async (path) => {
    const found = STATFS[path];
    if (found === undefined) throw enoent(path);
    return found;
  },
};

const procRoot = mkdtempSync(join(tmpdir(), 'bg-df-'));
mkdirSync(join(procRoot, 'self'));
writeFileSync(join(procRoot, 'self', 'mountinfo'), MOUNTINFO);
afterAll(() => rmSync(procRoot, { recursive: true, force: true }));

const run = (args: string[]): ReturnType<typeof runBuiltin> => runBuiltin(df, args, { services: { procRoot }, fs: fake });

describe('df over a fixed mount table', () => {
  // [args, exit code, stdout, stderr]: the output df printed when this test was written.
  it.each<[string[], number, string, string]>([
    [
      [], 0,
      'Filesystem     1K-blocks    Used Available Use% Mounted on\n' +
      '/dev/vda         4000000 2400000   1400000  64% /\n' +
      '/dev/vda1         524288   24288    500000   5% /boot\n' +
      'tmpfs               8192       4      8188   1% /tmp\n',
      '',
    ],
    [
      ['-a'], 1,
      'Filesystem     1K-blocks    Used Available Use% Mounted on\n' +
      'proc                   0       0         0    - /proc\n' +
      '/dev/vda         4000000 2400000   1400000  64% /\n' +
      '/dev/vda1         524288   24288    500000   5% /boot\n' +
      'tmpfs               8192       4      8188   1% /tmp\n' +
      '/dev/vda         4000000 2400000   1400000  64% /srv\n' +
      'none                   0       0         0    - /empty\n',
      'df: /gone: ENOENT: no such file or directory, statfs \'/gone\'\n',
    ],
    [
      ['-h'], 0,
      'Filesystem      Size  Used Avail Use% Mounted on\n' +
      '/dev/vda        3.9G  2.3G  1.4G  64% /\n' +
      '/dev/vda1       512M   24M  489M   5% /boot\n' +
      'tmpfs           8.0M  4.0K  8.0M   1% /tmp\n',
      '',
    ],
    [
      ['-i'], 0,
      'Filesystem     Inodes IUsed IFree IUse% Mounted on\n' +
      '/dev/vda        65536  5536 60000    9% /\n' +
      'tmpfs             100     1    99    1% /tmp\n',
      '',
    ],
    [
      ['-T'], 0,
      'Filesystem     Type  1K-blocks    Used Available Use% Mounted on\n' +
      '/dev/vda       ext4    4000000 2400000   1400000  64% /\n' +
      '/dev/vda1      vfat     524288   24288    500000   5% /boot\n' +
      'tmpfs          tmpfs      8192       4      8188   1% /tmp\n',
      '',
    ],
    [
      ['-t', 'tmpfs'], 0,
      'Filesystem     1K-blocks  Used Available Use% Mounted on\n' +
      'tmpfs               8192     4      8188   1% /tmp\n',
      '',
    ],
    [
      ['-x', 'ext4', '-x', 'tmpfs'], 0,
      'Filesystem     1K-blocks  Used Available Use% Mounted on\n' +
      '/dev/vda1         524288 24288    500000   5% /boot\n',
      '',
    ],
    [
      ['--json'], 0,
      '[{"filesystem":"/dev/vda","type":"ext4","mounted_on":"/","size_bytes":4096000000,"used_bytes":2457600000,"available_bytes":1433600000,"use_percent":64,"inodes":65536,"inodes_used":5536,"inodes_free":60000},{"filesystem":"/dev/vda1","type":"vfat","mounted_on":"/boot","size_bytes":536870912,"used_bytes":24870912,"available_bytes":512000000,"use_percent":5,"inodes":0,"inodes_used":0,"inodes_free":0},{"filesystem":"tmpfs","type":"tmpfs","mounted_on":"/tmp","size_bytes":8388608,"used_bytes":4096,"available_bytes":8384512,"use_percent":1,"inodes":100,"inodes_used":1,"inodes_free":99}]\n',
      '',
    ],
    [
      ['/srv/x', '/tmp'], 0,
      'Filesystem     1K-blocks    Used Available Use% Mounted on\n' +
      '/dev/vda         4000000 2400000   1400000  64% /srv\n' +
      'tmpfs               8192       4      8188   1% /tmp\n',
      '',
    ],
    [
      ['/tmp', '/nope'], 1,
      'Filesystem     1K-blocks  Used Available Use% Mounted on\n' +
      'tmpfs               8192     4      8188   1% /tmp\n',
      'df: /nope: No such file or directory\n',
    ],
    [
      ['-i', '-T', '-a'], 1,
      'Filesystem     Type  Inodes IUsed IFree IUse% Mounted on\n' +
      'proc           proc       0     0     0     - /proc\n' +
      '/dev/vda       ext4   65536  5536 60000    9% /\n' +
      '/dev/vda1      vfat       0     0     0     - /boot\n' +
      'tmpfs          tmpfs    100     1    99    1% /tmp\n' +
      '/dev/vda       ext4   65536  5536 60000    9% /srv\n' +
      'none           tmpfs      0     0     0     - /empty\n',
      'df: /gone: ENOENT: no such file or directory, statfs \'/gone\'\n',
    ],
    [
      ['-hT', '/boot'], 0,
      'Filesystem     Type  Size  Used Avail Use% Mounted on\n' +
      '/dev/vda1      vfat  512M   24M  489M   5% /boot\n',
      '',
    ],
  ])('df %j', async (args, code, stdout, stderr) => {
    expect(await run(args)).toEqual({ code, stdout, stderr });
  });
  it('stops with 130 when aborted', async () => {
    const t = makeContext({ services: { procRoot }, fs: fake });
    t.abort();
    expect(await df.run([], t.ctx)).toBe(130);
    expect(t.stdout()).toBe('');
  });
});
