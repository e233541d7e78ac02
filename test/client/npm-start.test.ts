// `npm start` as a user drives it, in tmux: the shell prompt appears, `ps` shows the
// SSH server, `exit` ends the session and stops the device. (The test runs the script
// npm start runs after its build step; vitest's globalSetup has built dist/ already,
// and rebuilding here would race the other test files that run dist/.)
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { goarchOf } from '../../src/init/goarch.js';
import { REPO } from '../helpers/server.js';
import { eventually } from '../init/harness.js';

const execFileAsync = promisify(execFile);
const SESSION = `bg-npm-start-${process.pid}`;
let dir: string | undefined;

const tmux = async (...args: string[]): Promise<string> => (await execFileAsync('tmux', args)).stdout;
const screen = (): Promise<string> => tmux('capture-pane', '-p', '-J', '-S', '-2000', '-t', SESSION);

afterAll(async () => {
  await tmux('kill-session', '-t', SESSION).catch(() => undefined);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('opens a shell on a local device and stops the device on exit', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bg-npm-start-'));
    // A debug tarball in the device dir is uploaded (with a progress bar on the terminal).
    const tools = join(dir, 'tools');
    await mkdir(tools);
    await writeFile(join(tools, 'hello-tool'), `#!${process.execPath}\nconsole.log('hello from the ' + 'toolbox');\n`);
    await chmod(join(tools, 'hello-tool'), 0o755);
    await writeFile(join(tools, 'padding'), Buffer.alloc(3 * 1024 * 1024));
    await execFileAsync('tar', ['-cf', join(dir, `debug-${goarchOf()}.tar`), '-C', tools, 'hello-tool', 'padding']);
    const script = join(REPO, 'scripts', 'start-device.mjs');
    await tmux('new-session', '-d', '-s', SESSION, '-x', '160', '-y', '50', '-c', REPO, '-e', `BREAKGLASS_DEVICE_DIR=${dir}`,
      `${process.execPath} ${script}; echo START-DEVICE-EXIT=$?; sleep 120`);
    const promptRe = new RegExp(`${hostname().split('.')[0]}:\\S*# $`, 'm');
    const first = await eventually(async () => {
      const text = await screen();
      return promptRe.test(text) && text;
    }, 20_000);
    expect(first).toMatch(/web UI: {3}http:\/\/127\.0\.0\.1:\d+\/ {3}user gokrazy, password [A-Za-z0-9]{20}/);
    expect(first).toContain('breakglass: starting /user/breakglass on 127.0.0.1');
    expect(existsSync(join(dir, 'init.sock'))).toBe(true);
    expect(first).toMatch(new RegExp(`uploading debug-${goarchOf()}\\.tar \\[#{24}\\] 100% {2}3\\.1M/3\\.1M`));
    expect(first).toContain('Type exit (or press Ctrl-D) to end the session');
    // The toolbox is on tmpfs, as on a device, and goes when the device stops.
    const toolbox = /toolbox: {2}(\/dev\/shm\/breakglass-demo-\S+) \(tmpfs, cleared when the device stops\)/.exec(first)?.[1];
    expect(toolbox).toBeDefined();
    expect(existsSync(join(toolbox!, 'hello-tool'))).toBe(true);

    await tmux('send-keys', '-t', SESSION, 'hello-tool', 'Enter');
    await eventually(async () => (await screen()).includes('hello from the toolbox'), 10_000);

    await tmux('send-keys', '-t', SESSION, 'ps -ef', 'Enter');
    const listing = await eventually(async () => {
      const text = await screen();
      return /ps -ef[\s\S]*breakglassd --listen[\s\S]*# $/m.test(text) && text;
    }, 10_000).catch(async (err: Error) => {
      throw new Error(`${err.message}; screen:\n${await screen()}`);
    });
    expect(listing).toMatch(/^\S+\s+\d+\s+\d+.* breakglassd --listen 127\.0\.0\.1 --port \d+/m);

    await tmux('send-keys', '-t', SESSION, 'exit', 'Enter');
    const end = await eventually(async () => {
      const text = await screen();
      return /^START-DEVICE-EXIT=\d+/m.test(text) && text;
    }, 15_000);
    expect(end).toContain('start-device: device stopped');
    expect(end).toMatch(/^START-DEVICE-EXIT=0$/m);
    expect(existsSync(join(dir, 'init.sock'))).toBe(false);
    expect(existsSync(join(dir, 'init.pid'))).toBe(false);
    expect(existsSync(toolbox!)).toBe(false);
  });

  it('runs a one-shot command without the interactive hint, and stops the device', async () => {
    const device = await mkdtemp(join(tmpdir(), 'bg-npm-once-'));
    try {
      const script = join(REPO, 'scripts', 'start-device.mjs');
      const { stdout, stderr } = await execFileAsync(process.execPath, [script, 'echo one-shot'], {
        cwd: REPO,
        env: { ...process.env, BREAKGLASS_DEVICE_DIR: device },
        timeout: 30_000,
      });
      expect(stdout).toBe('one-shot\n');
      expect(stderr).toContain('start-device: device stopped');
      expect(stderr).not.toContain('Type exit');
    } finally {
      await rm(device, { recursive: true, force: true });
    }
  });
});
