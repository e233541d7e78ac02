// Dropbear's client against breakglassd. dbclient sends a guessed key-exchange packet
// with its KEXINIT (RFC 4253 §7, first_kex_packet_follows); ssh2 1.17 dropped every
// such guess, so dbclient hung after the version exchange whenever its guess was right
// (scripts/ssh2-patches.mjs). This is the regression test for that hang.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { echoOverPty } from '../helpers/terminal-client.js';

const DBCLIENT = '/usr/bin/dbclient';
const CONVERT = '/usr/bin/dropbearconvert';
const missing = [DBCLIENT, CONVERT].filter((p) => !existsSync(p));

describe.skipIf(missing.length > 0)(`dbclient (Dropbear's client)${missing.length ? ` — skipped: ${missing.join(', ')} missing; apt-get install dropbear-bin` : ''}`, () => {
  let server: TestServer;
  let dropbearKey: string;

  beforeAll(async () => {
    server = await startServer();
    dropbearKey = `${server.key.privatePath}.dropbear`;
    execFileSync(CONVERT, ['openssh', 'dropbear', server.key.privatePath, dropbearKey], { stdio: 'ignore' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const dbclient = (args: string[], input?: string): ReturnType<typeof run> =>
    // -y: accept the host key (the test checks the fingerprint itself); HOME is the
    // test dir so no ~/.ssh/known_hosts of the machine is read or written.
    run(DBCLIENT, ['-y', '-i', dropbearKey, '-p', String(server.port), ...args], {
      input,
      timeoutMs: 15_000,
      env: { ...process.env, HOME: server.dir },
    });

  it('completes the key exchange and runs a command with its exit status', async () => {
    const result = await dbclient(['root@127.0.0.1', 'echo hello from breakglassd; exit 7']);
    expect(result.signal).toBeNull();
    expect(result.stdout.toString()).toBe('hello from breakglassd\n');
    expect(result.code).toBe(7);
    // dbclient prints the fingerprint it accepted: the server's own.
    expect(result.stderr).toContain(server.fingerprint);
  });

  it('opens a shell with a pty', async () => {
    const { screen, code } = await echoOverPty(['dbclient', '-y', '-t', '-i', dropbearKey, '-p', String(server.port), 'root@127.0.0.1'], { ...process.env, HOME: server.dir });
    expect(screen).toMatch(/\r\npty-xterm-ok\r\n/);
    expect(code).toBe(4);
  });
});
