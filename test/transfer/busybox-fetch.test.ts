// busybox-fetch as a user runs it (dist/busybox-fetch.js). Offline by default: the
// binary comes from this host's static busybox, directly or packed into a .deb. With
// BREAKGLASS_NETWORK_TESTS=1 it also downloads busybox-static for amd64 and arm64
// from the host's Debian mirror (apt-get download), as it does for users.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBusyboxDeb } from './busybox-deb.js';
import { DIST, run } from '../helpers/server.js';

const FETCH = join(DIST, 'busybox-fetch.js');
const NETWORK = process.env.BREAKGLASS_NETWORK_TESTS === '1';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-bbfetch-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fetch = (args: string[]): ReturnType<typeof run> => run(process.execPath, [FETCH, ...args], { timeoutMs: 300_000 });
const sha = async (path: string): Promise<string> => createHash('sha256').update(await readFile(path)).digest('hex');

describe('busybox-fetch', () => {
  it('--binary: writes a reproducible debug tarball and prints its sha256', async () => {
    const out = join(dir, 'a.tar');
    const r1 = await fetch(['--arch', 'amd64', '--binary', '/bin/busybox', '--out', out]);
    expect(r1.code).toBe(0);
    expect(r1.stdout.toString()).toBe(`${await sha(out)}  ${out}\n`);
    const listing = execFileSync('tar', ['--numeric-owner', '-tvf', out]).toString();
    expect(listing).toMatch(/^-rwxr-xr-x 0\/0 +\d+ 1970-01-01 00:00 busybox\nlrwxrwxrwx 0\/0 +0 1970-01-01 00:00 sh -> busybox\n$/);
    const r2 = await fetch(['--arch', 'x86_64', '--binary', '/bin/busybox', '--out', join(dir, 'b.tar')]);
    expect(r2.code).toBe(0);
    expect(await sha(join(dir, 'b.tar'))).toBe(await sha(out));
  });

  it('--deb: takes bin/busybox out of a busybox-static package (data.tar.xz)', async () => {
    await makeBusyboxDeb(join(dir, 'busybox-static_amd64.deb'));
    const out = join(dir, 'from-deb.tar');
    const r = await fetch(['--arch', 'amd64', '--deb', join(dir, 'busybox-static_amd64.deb'), '--out', out]);
    expect(r.stderr).toContain('wrote');
    expect(r.code).toBe(0);
    // Same binary, same bytes: the tarball does not depend on where busybox came from.
    await fetch(['--arch', 'amd64', '--binary', '/bin/busybox', '--out', join(dir, 'c.tar')]);
    expect(await sha(out)).toBe(await sha(join(dir, 'c.tar')));
  });

  it('defaults the output name to debug-<goarch>.tar', async () => {
    const cwd = await mkdtemp(join(dir, 'cwd-'));
    const stdout = execFileSync(process.execPath, [FETCH, '--arch', 'x86_64', '--binary', '/bin/busybox'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    expect(stdout.toString()).toBe(`${await sha(join(cwd, 'debug-amd64.tar'))}  debug-amd64.tar\n`);
  });

  it.each([
    [['--arch', 'mips', '--binary', '/bin/busybox'], 2, /^busybox-fetch: unknown --arch "mips" \(valid: amd64, arm64, arm, 386, riscv64, armhf, armel, i386\)\n$/],
    [['--frobnicate'], 2, /^busybox-fetch: unknown flag --frobnicate \(see --help\)\n$/],
    [['--binary', '/bin/busybox'], 2, /^busybox-fetch: --arch is required/],
    [['--arch', 'amd64', '--deb', 'x', '--binary', 'y'], 2, /exclude each other/],
    [['--arch', 'arm64', '--binary', '/bin/busybox', '--out', 'DIR/refused.tar'], 1, /is a 64-bit x86-64 binary, not 64-bit aarch64 \(--arch arm64\)/],
    [['--arch', 'amd64', '--binary', process.execPath, '--out', 'DIR/refused.tar'], 1, /is dynamically linked \(interpreter \/lib64\/ld-linux-x86-64\.so\.2\)/],
    [['--arch', 'amd64', '--binary', '/etc/hostname', '--out', 'DIR/refused.tar'], 1, /not an ELF file/],
  ])('refuses %j with one clear line, exit %i', async (args, code, message) => {
    const r = await fetch(args.map((a) => a.replace('DIR', dir)));
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stdout.toString()).toBe('');
  });

  it('--help documents every flag', async () => {
    const r = await fetch(['--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--arch ARCH', '--out FILE', '--deb FILE', '--binary FILE', '--help']) expect(r.stdout.toString()).toContain(flag);
  });

  describe.runIf(NETWORK)('from Debian (network)', () => {
    it.each([
      ['amd64', 'x86-64'],
      ['arm64', 'aarch64'],
    ])('--arch %s downloads busybox-static (%s)', async (arch, machine) => {
      const out = join(dir, `debug-${arch}.tar`);
      const r = await fetch(['--arch', arch, '--out', out]);
      expect(r.stderr).toContain(`busybox-static:${arch}`);
      expect(r.code).toBe(0);
      expect(r.stdout.toString()).toBe(`${await sha(out)}  ${out}\n`);
      expect(execFileSync('tar', ['-tf', out]).toString()).toBe('busybox\nsh\n');
      void machine;
    }, 300_000);
  });
});
