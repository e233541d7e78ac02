// Against gokrazy's own Go breakglass (banner `SSH-2.0-Go`) the client uploads with
// `scp FILE HOST:` as gokrazy's client does, and — no host key in the log — uses the
// user's known_hosts.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/server.js';
import { startDevice } from './device.js';
import type { Device } from './device.js';

let device: Device;
let uploads: string;
beforeAll(async () => {
  device = await startDevice(async (dir, port) => {
    uploads = join(dir, 'uploads');
    await mkdir(uploads);
    return {
      path: '/user/breakglass',
      dontStart: true,
      command: [process.execPath, join(REPO, 'test/client/fixtures/go-breakglass.cjs'), REPO, String(port), uploads],
    };
  });
});
afterAll(async () => {
  await device?.stop();
});

describe('breakglass client against a gokrazy Go breakglass', () => {
  it('uploads the tarball with scp, then runs the command', async () => {
    const config = join(device.dir, 'ssh_config_tofu');
    // No pinned key for this server: the user's own host-key policy applies.
    await writeFile(config, `${await readFile(device.sshConfig, 'utf8')}StrictHostKeyChecking no\nUserKnownHostsFile /dev/null\n`);
    const tarball = join(device.dir, 'debug-arm64.tar');
    await writeFile(tarball, Buffer.alloc(4321, 1));
    const result = await device.client(['--ssh-config', config, '--debug-tarball-pattern', tarball, '127.0.0.1', 'hello'], { sshConfig: false });
    expect(result.stderr).toContain("127.0.0.1 runs gokrazy's Go breakglass, which logs no host key; using your known_hosts");
    expect(result.stderr).toContain("with scp (the server is gokrazy's Go breakglass)");
    expect(result.stdout.toString()).toBe('go-server ran: hello\n');
    expect(result.code).toBe(0);
    expect((await readFile(join(uploads, 'debug-arm64.tar'))).length).toBe(4321);
    const log = (await device.init.http('GET', '/log?path=/user/breakglass&stream=stdout')).body;
    expect(log).toMatch(/^exec scp -t/m);
  });
});
