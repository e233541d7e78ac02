// breakglass-init's command line: a bad config is one line naming the field, exit 2.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, run, waitFor } from '../helpers/server.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-init-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function initWith(config: string): Promise<{ code: number | null; stderr: string }> {
  const file = join(dir, `c${Math.random()}.json`);
  await writeFile(file, config);
  const result = await run(process.execPath, [join(DIST, 'breakglass-init.js'), '--config', file]);
  return { code: result.code, stderr: result.stderr };
}

describe('breakglass-init config errors', () => {
  it.each([
    ['{"services":[{"path":"/user/x","command":"node x"}]}', 'breakglass-init: config: services[0].command: expected array, received string\n'],
    ['{"http":{"port":"80"}}', 'breakglass-init: config: http.port: expected number, received string\n'],
    ['{"http":{"listen":"0.0.0.0"}}', 'breakglass-init: config: http.listen: 0.0.0.0 is a public or unspecified address; pass --allow-public to listen on it anyway\n'],
    ['{"services":', 'is not valid JSON'],
  ])('%s', async (config, message) => {
    const { code, stderr } = await initWith(config);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('needs --config and names a missing file', async () => {
    const none = await run(process.execPath, [join(DIST, 'breakglass-init.js')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('breakglass-init: --config FILE is required (see --help)\n');
    const missing = await run(process.execPath, [join(DIST, 'breakglass-init.js'), '--config', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('(no such file)');
  });

  it('documents its flag in --help', async () => {
    const help = await run(process.execPath, [join(DIST, 'breakglass-init.js'), '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout.toString()).toContain('--config FILE');
  });
});

describe('breakglass-init API socket', () => {
  const config = (socket: string): string =>
    JSON.stringify({ http: { listen: '127.0.0.1', port: 0, passwordFile: join(dir, 'pw.txt'), socket }, services: [] });

  it('replaces a stale socket file left by a killed init', async () => {
    const socket = join(dir, 'stale.sock');
    // A process that dies by SIGKILL leaves its socket file behind.
    const holder = await run(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(socket)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    expect(holder.signal).toBe('SIGKILL');
    const file = join(dir, 'stale.json');
    await writeFile(file, config(socket));
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [join(DIST, 'breakglass-init.js'), '--config', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await waitFor(() => stderr, /API socket/);
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  });

  it('refuses to replace a file that is not a socket', async () => {
    const notSocket = join(dir, 'plain.sock');
    await writeFile(notSocket, 'important');
    const { code, stderr } = await initWith(config(notSocket));
    expect(code).toBe(1);
    expect(stderr).toBe(`breakglass-init: ${notSocket} exists and is not a socket; refusing to replace it\n`);
  });
});

describe('breakglass-init single instance', () => {
  it('refuses a socket another breakglass-init is serving', async () => {
    const { startInit } = await import('./harness.js');
    const first = await startInit([]);
    try {
      const { code, stderr } = await initWith(JSON.stringify({ http: { listen: '127.0.0.1', port: 0, passwordFile: join(dir, 'pw.txt'), socket: first.socket }, services: [] }));
      expect(code).toBe(1);
      expect(stderr).toBe(`breakglass-init: another breakglass-init is already serving ${first.socket}\n`);
    } finally {
      await first.stop();
    }
  });
});
