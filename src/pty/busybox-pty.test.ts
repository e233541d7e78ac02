// The pty relay against the real static busybox (Debian's busybox-static): each program
// runs on a real pseudo-terminal and its screen is rendered by @xterm/headless.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as headless from '@xterm/headless';
import type { Terminal } from '@xterm/headless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { symlink } from 'node:fs/promises';
import { launchScript, startOnBusyboxPty } from './busybox-pty.js';
import { TelnetDecoder, encodeWindowSize } from './telnet.js';
import type { PtyProgram } from './busybox-pty.js';

const BUSYBOX = '/bin/busybox';
const XTerm: typeof Terminal =
  (headless as unknown as { Terminal?: typeof Terminal }).Terminal ??
  (headless as unknown as { default: { Terminal: typeof Terminal } }).default.Terminal;

/** Static busybox with the applets the relay needs: Debian's dynamic one may lack telnetd. */
function usableBusybox(): boolean {
  if (!existsSync(BUSYBOX)) return false;
  const elf = readFileSync(BUSYBOX).subarray(0, 4096);
  return !elf.includes('/lib64/ld-linux') && !elf.includes('ld-linux');
}

interface Run {
  program: PtyProgram;
  term: Terminal;
  screen(): Promise<string>;
  waitFor(pattern: RegExp): Promise<string>;
  type(keys: string): void;
}

describe.skipIf(!usableBusybox())('a program on a busybox pty (needs a static /bin/busybox: apt-get install busybox-static)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bg-pty-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function start(argv: string[], size = { cols: 80, rows: 24 }): Promise<Run> {
    const term = new XTerm({ cols: size.cols, rows: size.rows, allowProposedApi: true });
    const program = await startOnBusyboxPty({
      busybox: BUSYBOX,
      argv,
      cwd: dir,
      env: { PATH: '/bin:/usr/bin', TERM: 'xterm', HOME: dir },
      ...size,
      scratchDir: dir,
    });
    program.output.on('data', (chunk: Buffer) => term.write(chunk));
    const screen = async (): Promise<string> => {
      await new Promise<void>((resolveWrite) => term.write('', () => resolveWrite()));
      const rows: string[] = [];
      for (let y = 0; y < term.rows; y++) rows.push(term.buffer.active.getLine(y)?.translateToString(true) ?? '');
      return rows.join('\n').trimEnd();
    };
    const waitFor = async (pattern: RegExp): Promise<string> => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const text = await screen();
        if (pattern.test(text)) return text;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${text}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    return { program, term, screen, waitFor, type: (keys) => program.write(Buffer.from(keys)) };
  }

  it('is a controlling terminal of its own: tty names /dev/pts/N, the exit status comes back', async () => {
    const run = await start([BUSYBOX, 'sh', '-c', 'tty; exit 3']);
    expect((await run.program.exit).code).toBe(3);
    expect(await run.screen()).toMatch(/^\/dev\/pts\/\d+$/);
  });

  it('stty size follows the window, also after a resize (SIGWINCH)', async () => {
    // `trapped` comes after the trap is set: a resize before it would be ignored.
    const run = await start([BUSYBOX, 'sh', '-c', 'stty size; trap "stty size; exit 0" WINCH; echo trapped; while :; do busybox sleep 0.1; done'], { cols: 100, rows: 30 });
    await run.waitFor(/^30 100$/m);
    await run.waitFor(/^trapped$/m);
    run.program.resize(120, 40);
    await run.waitFor(/^40 120$/m);
    expect((await run.program.exit).code).toBe(0);
  });

  it('the launch script starts the program only once the window size is set (no 0x0 window under load)', async () => {
    // Stand in for a loaded machine: the size arrives 300 ms after telnetd has started the
    // script. Without the script's wait, `stty size` runs at once on a 0x0 pty and fails.
    const scratch = await mkdtemp(join(dir, 'late-size-'));
    const script = join(scratch, 'run');
    await writeFile(script, launchScript([BUSYBOX, 'stty', 'size'], 'feedc0de', BUSYBOX));
    await symlink(BUSYBOX, join(scratch, 'sh'));
    const telnetd = spawn(BUSYBOX, ['telnetd', '-i', '-f', '/dev/null', '-l', join(scratch, 'sh')], {
      env: { PATH: '/bin:/usr/bin', ENV: script, PS1: '' },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const decoder = new TelnetDecoder();
    let output = '';
    telnetd.stdout.on('data', (chunk: Buffer) => (output += decoder.decode(chunk).toString()));
    await new Promise((r) => setTimeout(r, 300));
    telnetd.stdin.write(encodeWindowSize(90, 30));
    telnetd.stdin.write('\n');
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (output.includes('\x1b]777;feedc0de;0\x07') || output.includes('stty:')) {
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
    telnetd.kill('SIGKILL');
    expect(output.slice(output.indexOf('feedc0de;start'))).toMatch(/^feedc0de;start\x07\r?\n?30 90\r\n/);
  });

  it('^C ends busybox sleep with status 130', async () => {
    const run = await start([BUSYBOX, 'sleep', '100']);
    await new Promise((r) => setTimeout(r, 300)); // let sleep start; ^C before it is ash's
    run.type('\x03');
    expect((await run.program.exit).code).toBe(130);
  });

  it('keys typed before the program runs reach the program, not ash', async () => {
    const run = await start([BUSYBOX, 'sh', '-c', 'read line; echo "got $line"; exit 5']);
    run.type('early\r');
    await run.waitFor(/got early/);
    expect((await run.program.exit).code).toBe(5);
    expect(run.program.takeUnread().length).toBe(0);
  });

  it('^Z stops the program (onStop), resume() continues it; unread keys come back from takeUnread', async () => {
    const run = await start([BUSYBOX, 'sh', '-c', 'echo ready; read line; echo "got $line"; exit 4']);
    const stopped = new Promise<void>((resolveStop) => run.program.onStop(resolveStop));
    await run.waitFor(/ready/);
    run.type('\x1a');
    await stopped;
    run.program.resume();
    run.type('hello\rlater');
    await run.waitFor(/got hello/);
    expect((await run.program.exit).code).toBe(4);
    expect(run.program.takeUnread().toString()).toBe('later');
    expect(run.program.takeUnread().length).toBe(0);
  });

  it('^\\ ends busybox sleep with SIGQUIT: status 131', async () => {
    const run = await start([BUSYBOX, 'sleep', '100']);
    await new Promise((r) => setTimeout(r, 300));
    run.type('\x1c');
    expect((await run.program.exit).code).toBe(131);
  });

  it('runs the toolbox sh interactively: prompt, line editing, arithmetic', async () => {
    const run = await start([BUSYBOX, 'sh'], { cols: 80, rows: 24 });
    run.type('PS1="ash$ "\r');
    await run.waitFor(/^ash\$$/m); // rows are compared without trailing blanks
    run.type('echo $((6*8\x7f7))\r'); // backspace edits the line: 6*8 → 6*7
    await run.waitFor(/^42$/m);
    run.type('exit 5\r');
    expect((await run.program.exit).code).toBe(5);
  });

  it('busybox vi edits and saves a file', async () => {
    const file = join(dir, 'app.conf');
    await writeFile(file, 'old line\n');
    const run = await start([BUSYBOX, 'vi', file]);
    await run.waitFor(/old line/);
    run.type('ddinew line');
    await run.waitFor(/^new line/m);
    // A lone ESC only after a pause, as from a person: ESC followed at once by ':' reads
    // as an Alt sequence.
    run.type('\x1b');
    await new Promise((r) => setTimeout(r, 300));
    run.type(':wq\r');
    expect((await run.program.exit).code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe('new line\n');
  });

  it('busybox less pages and q quits; top draws and q quits', async () => {
    const file = join(dir, 'log.txt');
    await writeFile(file, Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n') + '\n');
    const less = await start([BUSYBOX, 'less', file], { cols: 80, rows: 10 });
    await less.waitFor(/^line 9$/m);
    expect(await less.screen()).not.toMatch(/^line 20$/m);
    less.type(' ');
    await less.waitFor(/^line 18$/m);
    less.type('q');
    expect((await less.program.exit).code).toBe(0);

    const top = await start([BUSYBOX, 'top'], { cols: 100, rows: 20 });
    await top.waitFor(/PID\s+PPID\s+USER/);
    top.type('q');
    expect((await top.program.exit).code).toBe(0);
  });

  it('hanging up while vi runs leaves no process behind', async () => {
    const run = await start([BUSYBOX, 'vi', join(dir, 'untouched')]);
    await run.waitFor(/untouched/);
    const pids = descendants(run.program.pid!);
    expect(pids.length).toBeGreaterThan(0);
    run.program.hangUp();
    await run.program.exit;
    await new Promise((r) => setTimeout(r, 300));
    expect(pids.filter((pid) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '))).toEqual([]);
  });
});

/** Every process whose session or group started from the relay (telnetd's children and theirs). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const walk = (pid: number): void => {
    for (const child of children.get(pid) ?? []) {
      out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}
