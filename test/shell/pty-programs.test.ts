// Toolbox programs on a real terminal, end to end: the real breakglassd, a toolbox with
// the host's static busybox, an ssh2 client with a pty, the screen rendered by
// @xterm/headless. (The relay itself is tested in src/pty/busybox-pty.test.ts.)
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, run, startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { openPty } from './pty.js';

const BUSYBOX = '/bin/busybox';
const isStatic = existsSync(BUSYBOX) && !readFileSync(BUSYBOX).subarray(0, 8192).includes('ld-linux');

describe.skipIf(!isStatic)('toolbox programs on a real pty (needs a static /bin/busybox: apt-get install busybox-static)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ args: ['--no-banner'] });
    const tar = join(server.dir, 'debug.tar');
    const fetched = await run(process.execPath, [join(DIST, 'busybox-fetch.js'), '--arch', 'amd64', '--binary', BUSYBOX, '--out', tar]);
    expect(fetched.code, fetched.stderr).toBe(0);
    const added = await server.ssh('toolbox add', { input: await readFile(tar) });
    expect(added.code, added.stderr).toBe(0);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('tty, stty size before and after a resize, and the exit status', async () => {
    const s = await openPty(server, { cols: 90, rows: 30 });
    await s.waitFor(/#$/m);
    s.send('tty\r');
    await s.waitFor(/^\/dev\/pts\/\d+$/m);
    s.send('stty size\r');
    await s.waitFor(/^30 90$/m);
    await s.resize(110, 35);
    s.send('stty size\r');
    await s.waitFor(/^35 110$/m);
    s.send('busybox sh -c "exit 7"; echo status=$?\r');
    await s.waitFor(/^status=7$/m);
    await s.close();
  });

  it('^C ends busybox sleep 100 with status 130 and our prompt is intact', async () => {
    const s = await openPty(server);
    await s.waitFor(/#$/m);
    s.send('busybox sleep 100\r');
    await new Promise((r) => setTimeout(r, 500)); // let sleep start on the pty
    s.send('\x03');
    s.send('echo after=$?\r');
    await s.waitFor(/^after=130$/m);
    // The line editor still works: history recall of the previous line.
    s.send('\x1b[A');
    await s.waitFor(/# echo after=\$\?$/m);
    s.send('\x15exit\r');
    expect((await s.exit).code).toBe(0);
  });

  it('vi edits and saves a file; the toolbox sh is interactive', async () => {
    const file = join(server.dir, 'app.conf');
    await writeFile(file, 'old\n');
    const s = await openPty(server);
    await s.waitFor(/#$/m);
    s.send(`vi ${file}\r`);
    await s.waitFor(/^old$/m);
    s.send('ddinew');
    await s.waitFor(/^new$/m);
    s.send('\x1b');
    await new Promise((r) => setTimeout(r, 300));
    s.send(':wq\r');
    s.send('echo vi=$?\r');
    await s.waitFor(/^vi=0$/m);
    expect(await readFile(file, 'utf8')).toBe('new\n');

    s.send('sh\r');
    await s.waitFor(/built-in shell \(ash\)/);
    s.send('PS1="ash> "\r');
    await s.waitFor(/^ash>$/m);
    s.send('echo $((6*7))\r');
    await s.waitFor(/^42$/m);
    s.send('exit\r');
    s.send('echo back\r');
    await s.waitFor(/^back$/m);
    await s.close();
  });

  it('less and top draw and quit with q; ssh -t style exec runs on the pty too', async () => {
    const file = join(server.dir, 'log.txt');
    await writeFile(file, Array.from({ length: 200 }, (_, i) => `line ${i + 1}`).join('\n') + '\n');
    const s = await openPty(server, { cols: 80, rows: 12 });
    await s.waitFor(/#$/m);
    s.send(`less ${file}\r`);
    await s.waitFor(/^line 11$/m);
    // Each key only once the program is drawn, as a person types: a program that sets
    // its terminal mode with TCSAFLUSH drops keys typed before (as on any console).
    s.send('q');
    await s.waitFor(/#$/m);
    s.send('busybox top\r'); // plain `top` is the shell's own built-in
    await s.waitFor(/PID\s+PPID\s+USER/);
    await new Promise((r) => setTimeout(r, 300));
    s.send('q');
    await s.waitFor(/#$/m);
    s.send('echo done=$?\r');
    await s.waitFor(/^done=0$/m);
    await s.close();

    const e = await openPty(server, { cols: 80, rows: 24 }, { exec: 'tty' });
    expect((await e.exit).code).toBe(0);
    expect(await e.screen()).toMatch(/^\/dev\/pts\/\d+$/m);
    await e.close();
  });

  it('pipelines keep pipes: tty in a pipeline is not a terminal', async () => {
    const s = await openPty(server);
    await s.waitFor(/#$/m);
    s.send('tty | cat\r');
    await s.waitFor(/^not a tty$/m);
    await s.close();
  });

  it('disconnecting while vi runs leaves no process behind', async () => {
    const s = await openPty(server);
    await s.waitFor(/#$/m);
    s.send(`vi ${join(server.dir, 'never-saved')}\r`);
    await s.waitFor(/^~$/m); // vi's empty-buffer rows: vi is drawn, not just the typed line
    const vis = (): number[] => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('never-saved');
      } catch {
        return false;
      }
    });
    expect(vis().length).toBeGreaterThan(0);
    await s.close();
    const deadline = Date.now() + 10_000;
    while (vis().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(vis()).toEqual([]);
  });
});

describe('a full-screen program without any pty capability', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ args: ['--no-banner'] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('gets one line saying what to upload, not a garbled screen', async () => {
    // A PATH with a `vi` but no busybox: nothing can make a pty.
    const bin = join(server.dir, 'no-busybox');
    await mkdir(bin);
    await symlink('/bin/true', join(bin, 'vi'));
    const s = await openPty(server, { cols: 250, rows: 24 }); // wide: the hint is one row
    await s.waitFor(/#$/m);
    s.send(`PATH=${bin} vi /perm/app.conf; echo status=$?\r`);
    const screen = await s.waitFor(/^status=126$/m);
    expect(screen).toContain('sh: vi: needs a real terminal, and the toolbox has no busybox with telnetd to make one; upload one (busybox-fetch --arch ARCH, then scp debug-ARCH.tar HOST:) and run it again');
    // Other programs still run over pipes, as before.
    s.send(`PATH=${bin}:/bin tty; echo tty=$?\r`);
    await s.waitFor(/^tty=0$/m);
    await s.close();
  });
});
