// `breakglass HOST` on a real terminal (tmux) through a loopback relay the test cuts and
// restores: the client says it lost the connection, reconnects by itself and the same
// session (screen, running job) is there again; a link that dies silently is noticed by
// ssh's keepalives and the session, still attached on the server, is taken over; it gives up after --reconnect-timeout; a later `breakglass HOST`
// reattaches the detached session, and --new opens a fresh one.
import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CuttableProxy } from '../helpers/cuttable-proxy.js';
import { DIST } from '../helpers/server.js';
import { eventually } from '../sshd/helpers.js';
import { breakglassdService, startDevice } from './device.js';
import type { Device } from './device.js';

const execFileAsync = promisify(execFile);
const TMUX_SOCKET = `bg-reconnect-${process.pid}`;
const tmux = async (...args: string[]): Promise<string> => (await execFileAsync('tmux', ['-L', TMUX_SOCKET, ...args])).stdout;
const pane = (name: string): Promise<string> => tmux('capture-pane', '-p', '-J', '-t', name);

let device: Device;
let proxy: CuttableProxy;
// The clients' TMPDIR: their private directories are counted here, where no other test
// file's breakglass-XXXXXX directories (breakglassd's toolbox, say) can appear.
let clientTmp: string;

beforeAll(async () => {
  clientTmp = await mkdtemp('/tmp/bg-reconnect-');
  device = await startDevice(breakglassdService);
  proxy = new CuttableProxy(device.sshPort);
  await proxy.start();
});
afterEach(async () => {
  await tmux('kill-server').catch(() => undefined);
  if (proxy) {
    await proxy.stop();
    await proxy.restore();
  }
});
afterAll(async () => {
  await proxy?.stop();
  await device?.stop();
  if (clientTmp) await rm(clientTmp, { recursive: true, force: true });
});

const quote = (a: string): string => `'${a.replace(/'/g, `'\\''`)}'`;

/** The client in a tmux window of its own, its SSH traffic through the relay. */
async function clientInTmux(name: string, extra: string[] = []): Promise<void> {
  const argv = [
    process.execPath, join(DIST, 'breakglass.js'),
    '--http-port', String(device.init.port), '--ssh-port', String(proxy.port), '--password-file', device.passwordFile,
    '--identity', device.key.privatePath, '--ssh-config', device.sshConfig, ...extra, '127.0.0.1',
  ];
  const script = `TMPDIR=${quote(clientTmp)} ${argv.map(quote).join(' ')}; echo CLIENT-EXIT=$?; sleep 60`;
  // The previous test's tmux server may still be on its way out ("server exited unexpectedly").
  for (let attempt = 1; ; attempt++) {
    try {
      await tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '30', script);
      return;
    } catch (err) {
      if (attempt === 3) throw err;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

async function waitPane(name: string, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  let text = '';
  const ok = await eventually(async () => pattern.test((text = await pane(name))), timeoutMs, 100);
  if (!ok) throw new Error(`timed out waiting for ${pattern}; pane ${name}:\n${text}\ndevice log:\n${await deviceLog()}`);
  return text;
}

/** breakglassd's audit log, from the web UI's ring. */
async function deviceLog(): Promise<string> {
  return (await device.init.http('GET', '/log?path=/user/breakglass&stream=stderr')).body;
}

async function type(name: string, line: string): Promise<void> {
  await tmux('send-keys', '-t', name, '-l', line);
  await tmux('send-keys', '-t', name, 'Enter');
}

describe('breakglass reconnects like mosh', () => {
  it('reconnects through a cut and restored link; the session, its screen and its job go on', async () => {
    const log = join(device.dir, 'reconnect-app.log');
    await writeFile(log, 'before-cut-marker\n');
    await clientInTmux('flaky');
    await waitPane('flaky', /# ?$/m);
    await type('flaky', 'echo id-is-$BREAKGLASS_SESSION; echo resume-env-[$BREAKGLASS_RESUME]');
    const idLine = /^id-is-(\d+)$/m.exec(await waitPane('flaky', /^id-is-\d+$/m))!;
    // The second echo may draw a moment after the first: wait for its line, then check it.
    expect(await waitPane('flaky', /^resume-env-/m)).toMatch(/^resume-env-\[\]$/m); // the secret never reaches the shell
    await type('flaky', `/usr/bin/tail -f ${log}`);
    await waitPane('flaky', /^before-cut-marker$/m);

    proxy.cut('close');
    await waitPane('flaky', /connection lost, reconnecting…/);
    await appendFile(log, 'while-cut-marker\n');
    // A few refused attempts (the status line says why), then the link is back.
    await waitPane('flaky', /Connection refused/)
    await proxy.restore();
    const back = await waitPane('flaky', /^while-cut-marker$/m, 20_000);
    expect(back).toMatch(/^before-cut-marker$/m);
    expect(back).not.toMatch(/reconnecting…/); // the restored screen replaced the status line
    await appendFile(log, 'after-reconnect-marker\n');
    await waitPane('flaky', /^after-reconnect-marker$/m);
    await tmux('send-keys', '-t', 'flaky', 'C-c');
    await type('flaky', 'echo still-$BREAKGLASS_SESSION');
    await waitPane('flaky', new RegExp(`^still-${idLine[1]}$`, 'm'));
    await type('flaky', 'exit 4');
    await waitPane('flaky', /CLIENT-EXIT=4/);
  });

  it('notices a link that silently died (ServerAlive) and takes over the session the server still holds', async () => {
    await clientInTmux('silent');
    await waitPane('silent', /# ?$/m);
    await type('silent', 'echo silent-id-$BREAKGLASS_SESSION');
    const id = /^silent-id-(\d+)$/m.exec(await waitPane('silent', /^silent-id-\d+$/m))![1];
    proxy.cut('silent');
    // ServerAliveInterval 5 x CountMax 3: about 15 s.
    await waitPane('silent', /connection lost, reconnecting…/, 30_000);
    await proxy.restore();
    await waitPane('silent', /^silent-id-\d+$/m, 20_000);
    await type('silent', 'echo taken-$BREAKGLASS_SESSION');
    await waitPane('silent', new RegExp(`^taken-${id}$`, 'm'));
    expect(await deviceLog()).toMatch(new RegExp(`attach conn=\\d+ session=\\d+ id=${id} key=SHA256:\\S+ .*took_over=true resumed=true`));
    await type('silent', 'exit');
    await waitPane('silent', /CLIENT-EXIT=0/);
  }, 60_000);

  it('gives up after --reconnect-timeout; the next breakglass HOST reattaches, --new opens a fresh shell', async () => {
    await clientInTmux('giveup', ['--reconnect-timeout', '2s']);
    await waitPane('giveup', /# ?$/m);
    await type('giveup', 'echo kept-id-$BREAKGLASS_SESSION');
    const id = /^kept-id-(\d+)$/m.exec(await waitPane('giveup', /^kept-id-\d+$/m))![1];
    proxy.cut('close');
    const gaveUp = await waitPane('giveup', /CLIENT-EXIT=255/, 20_000);
    expect(gaveUp).toContain('gave up reconnecting after 2s (--reconnect-timeout)');
    expect(gaveUp).toContain('breakglass 127.0.0.1 reattaches it');
    await proxy.restore();

    await clientInTmux('again');
    const offered = await waitPane('again', /^kept-id-\d+$/m);
    expect(offered).not.toContain('gave up'); // a new terminal: only the restored screen
    expect(await deviceLog()).toMatch(new RegExp(`attach conn=\\d+ session=\\d+ id=${id} key=SHA256:\\S+ `));
    await type('again', 'echo again-$BREAKGLASS_SESSION');
    await waitPane('again', new RegExp(`^again-${id}$`, 'm'));
    // The same session is attached here now: --new leaves it alone.
    await clientInTmux('fresh', ['--new']);
    await waitPane('fresh', /# ?$/m);
    await type('fresh', 'echo fresh-$BREAKGLASS_SESSION');
    const fresh = /^fresh-(\d+)$/m.exec(await waitPane('fresh', /^fresh-\d+$/m))![1];
    expect(fresh).not.toBe(id);
    for (const name of ['again', 'fresh']) {
      await type(name, 'exit');
      await waitPane(name, /CLIENT-EXIT=0/);
    }
  });

  it('a closed terminal (SIGHUP) ends the client without reconnecting, cleans up, and leaves the session detached', async () => {
    const before = new Set(await readdir(clientTmp));
    await clientInTmux('closing');
    await waitPane('closing', /# ?$/m);
    await type('closing', 'echo closing-id-$BREAKGLASS_SESSION');
    const id = /^closing-id-(\d+)$/m.exec(await waitPane('closing', /^closing-id-\d+$/m))![1];
    const ours = (await readdir(clientTmp)).filter((name) => name.startsWith('breakglass-') && !before.has(name));
    expect(ours).toHaveLength(1); // the client's private directory (known_hosts, control socket)
    const connections = proxy.connections;
    await tmux('kill-session', '-t', 'closing');
    expect(await eventually(async () => !(await readdir(clientTmp)).includes(ours[0]!), 10_000)).toBe(true);
    // Its ssh ControlMaster closes the channel (after an EOF the server ignores from this client).
    expect(await eventually(async () => new RegExp(`detach id=${id} reason="(channel closed|connection lost)"`).test(await deviceLog()), 10_000)).toBe(true);
    expect(proxy.connections).toBe(connections); // no reconnect attempt
  });

  it('a terminal closed while reconnecting stops the attempts and still cleans up (the status line cannot be written)', async () => {
    const before = new Set(await readdir(clientTmp));
    await clientInTmux('gone');
    await waitPane('gone', /# ?$/m);
    const ours = (await readdir(clientTmp)).filter((name) => name.startsWith('breakglass-') && !before.has(name));
    expect(ours).toHaveLength(1);
    proxy.cut('close');
    await waitPane('gone', /connection lost, reconnecting…/);
    // "stopped reconnecting…" goes to a terminal that is gone (EIO): that must not end the
    // client before it removes its directory.
    await tmux('kill-session', '-t', 'gone');
    expect(await eventually(async () => !(await readdir(clientTmp)).includes(ours[0]!), 10_000)).toBe(true);
  });
});
