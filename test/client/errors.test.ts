// What the client says when something is wrong, before any SSH happens.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, run } from '../helpers/server.js';
import { nodeService } from '../init/harness.js';
import { freePort, startDevice } from './device.js';
import type { Device } from './device.js';

let device: Device;
beforeAll(async () => {
  // A "server" that never opens its port, to see the SSH timeout.
  device = await startDevice(() => nodeService('/user/breakglass', 'setInterval(() => {}, 1000);', { dontStart: true }));
});
afterAll(async () => {
  await device?.stop();
});

const client = (args: string[]): ReturnType<typeof run> => run(process.execPath, [join(DIST, 'breakglass.js'), ...args]);

describe('breakglass client errors', () => {
  it('wrong password (401)', async () => {
    const bad = join(device.dir, 'wrong-pw.txt');
    await writeFile(bad, 'not-it\n');
    const result = await client(['--http-port', String(device.init.port), '--password-file', bad, '127.0.0.1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`breakglass: wrong password for gokrazy@127.0.0.1 (web UI http://127.0.0.1:${device.init.port}); check ${bad} or pass --password-file\n`);
  });

  it('service not in the device config (404)', async () => {
    const result = await device.client(['--service', '/user/sshd', '127.0.0.1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('breakglass: 127.0.0.1 has no service /user/sshd: is breakglass in your device config? (or pass --service PATH)\n');
  });

  it('device unreachable', async () => {
    const port = await freePort();
    const result = await client(['--http-port', String(port), '--password-file', device.passwordFile, '127.0.0.1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`breakglass: cannot reach the web UI at http://127.0.0.1:${port}: connection refused (is the device up, and is this its web UI port?)\n`);
  });

  it('timeout waiting for SSH', async () => {
    const started = Date.now();
    const result = await device.client(['--timeout', '1s', '127.0.0.1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`breakglass: timed out after 1000 ms waiting for SSH on 127.0.0.1:${device.sshPort}`);
    expect(Date.now() - started).toBeLessThan(8000);
    // It did start the service through the web UI first.
    expect((await device.init.statusJson('/user/breakglass')).State).toBe('running');
  });

  it.each([
    [[], 'breakglass: missing HOST (usage: breakglass [options] HOST [COMMAND…])\n'],
    [['--ssh-port', 'x', 'h'], 'breakglass: --ssh-port: "x" is not a port number (1-65535)\n'],
    [['--timeout', 'soon', 'h'], 'breakglass: --timeout: "soon" is not a duration (use e.g. 30s, 5m, 1h30m, 500ms)\n'],
    [['--service', 'breakglass', 'h'], 'breakglass: --service: expected a path such as /user/breakglass, got "breakglass"\n'],
    [['--proxy', 'h', 'ls'], 'breakglass: --proxy takes no COMMAND (ssh runs it)\n'],
  ])('usage error %j', async (args, message) => {
    const result = await client(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(message);
  });

  it('accepts gokrazy\'s flag spellings and documents every flag', async () => {
    const help = await client(['--help']);
    expect(help.code).toBe(0);
    for (const flag of ['-debug_tarball_pattern', '-force_restart', '-prepare_only', '-proxy', '-ssh_config', '--identity', '--timeout']) {
      expect(help.stdout.toString()).toContain(flag);
    }
    const result = await client(['-force_restart', '-prepare_only', '-ssh_config=/dev/null', '--http-port', '1', '--password-file', device.passwordFile, '127.0.0.1']);
    expect(result.stderr).toContain('cannot reach the web UI');
  });
});
