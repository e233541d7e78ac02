// Bad input to breakglassd: one clear line on stderr and exit 2, nothing written.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/server.js';
import { runDaemon } from './helpers.js';

let dir: string;
let base: string[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-flags-'));
  await writeFile(join(dir, 'ak'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOZ3y8r3k4nXbTCpA5yiu1WEqlGYR9jj4S5jUBzKL7r1 x\n');
  base = ['--port', '0', '--listen', '127.0.0.1', '--authorized-keys', join(dir, 'ak'), '--host-key', join(dir, 'host_key')];
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('bad input', () => {
  it.each([
    [['--listen', '0.0.0.0'], /^breakglassd: --listen: 0\.0\.0\.0 is a public or unspecified address; pass --allow-public to listen on it anyway\n$/],
    [['--frobnicate'], /^breakglassd: unknown flag --frobnicate \(see --help\)\n$/],
    [['--login-grace-time', 'soon'], /^breakglassd: --login-grace-time: "soon" is not a duration \(use e\.g\. 30s, 5m, 1h30m, 500ms\)\n$/],
    [['--idle-exit', '5 minutes'], /^breakglassd: --idle-exit: "5 minutes" is not a duration/],
    [['--toolbox-quota', 'big'], /^breakglassd: --toolbox-quota: "big" is not a size/],
    [['--forward', 'yes'], /^breakglassd: --forward: expected one of off, loopback, private-network\n$/],
    [['--port', '-1'], /^breakglassd: /],
    [['--toolbox-dir', '/proc/no/such'], /^breakglassd: --toolbox-dir \/proc\/no\/such: cannot create it \(.*\); pass a writable directory/],
  ])('%j → exit 2 with one line', async (extra, message) => {
    const result = await runDaemon([...base, ...extra]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a missing authorized_keys file: exit 2 naming the file and what to do; no host key written', async () => {
    const result = await runDaemon(['--port', '0', '--listen', '127.0.0.1', '--authorized-keys', join(dir, 'missing'), '--host-key', join(dir, 'hk2')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^breakglassd: --authorized-keys: \S+missing does not exist; put your public key there .* or pass --authorized-keys PATH\n$/);
    expect(await readdir(dir)).not.toContain('hk2');
  });

  it('--help lists every flag with its default and exits 0', async () => {
    const result = await runDaemon(['--help']);
    expect(result.code).toBe(0);
    const help = result.stdout.toString();
    for (const [flag, def] of [
      ['--port N', '22'], ['--listen LIST', 'private'], ['--authorized-keys PATH', '/perm/breakglass.authorized_keys'],
      ['--host-key PATH', '/perm/breakglass.host_key'], ['--toolbox-dir DIR', 'new dir /tmp/breakglass-XXXXXX'], ['--toolbox-quota SIZE', '500M'],
      ['--home DIR', '/perm/home/breakglass'], ['--forward MODE', 'off'], ['--login-grace-time DUR', '30s'], ['--max-startups N', '10'],
      ['--idle-exit DUR', '0'], ['--log-format text|json', 'text'],
    ]) {
      expect(help).toContain(flag);
      expect(help).toContain(`(default: ${def}`);
    }
    for (const flag of ['--allow-public', '--no-banner', '--start-on-boot', '-authorized_keys', '-host_key', '-port', '-forward', '-enable_banner']) {
      expect(help).toContain(flag);
    }
  });

  it('--help names every authorized_keys option the README promises', async () => {
    const readme = await readFile(join(REPO, 'README.md'), 'utf8');
    const promised = /authorized_keys options: ([\s\S]*?); others are/.exec(readme)![1]!;
    const options = [...promised.matchAll(/`([a-z-]+=?)`/g)].map((m) => m[1]!);
    expect(options.length).toBeGreaterThan(10);
    const help = (await runDaemon(['--help'])).stdout.toString().replace(/\s+/g, ' ');
    const honoured = /options honoured: ([^;]*);/.exec(help)![1]!.split(', ');
    expect(honoured).toEqual(expect.arrayContaining(options));
  });

  it('GOKRAZY_FIRST_START=1 without --start-on-boot exits 125 at once; with it, the server starts', async () => {
    const env = { ...process.env, GOKRAZY_FIRST_START: '1' };
    const started = Date.now();
    const result = await runDaemon(base, { env });
    expect(result.code).toBe(125);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.stderr).toMatch(/not starting at boot .*--start-on-boot/);
    const onBoot = await runDaemon([...base, '--start-on-boot', '--idle-exit', '300ms'], { env });
    expect(onBoot.code).toBe(0);
    expect(onBoot.stderr).toMatch(/listening on 127\.0\.0\.1:\d+/);
  });
});
