// The interactive shell over SSH with a pty, asserted on the screen @xterm/headless
// renders from what the server sends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { openPty } from './pty.js';
import type { PtySession } from './pty.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ args: ['--no-banner'] });
});
afterAll(async () => {
  await server?.stop();
});

// The screen is read with trailing blanks trimmed, so a prompt ends in '#'.
const PROMPT = /[^\s:]+:[^\s]*#$/m;
const UP = '\x1b[A';
const LEFT = '\x1b[D';

async function session(cols = 80, rows = 24): Promise<PtySession> {
  const s = await openPty(server, { cols, rows });
  await s.waitFor(PROMPT);
  return s;
}

/** The screen's last non-empty lines. */
function tail(screen: string, n: number): string[] {
  return screen.split('\n').filter((l) => l.trim() !== '').slice(-n);
}

describe('interactive shell over SSH', () => {
  it('shows HOST:CWD# with ~ for $HOME, runs a command, exits with its status', async () => {
    const s = await session();
    const first = await s.screen();
    expect(first.trim()).toMatch(/^[^\s:]+:~#$/);
    expect(await s.cursor()).toMatchObject({ x: first.trim().length + 1 });
    s.send('echo "hello  world"\r');
    const screen = await s.waitFor(/hello {2}world\n.*#$/);
    expect(tail(screen, 3)).toEqual([expect.stringMatching(/:~# echo "hello {2}world"$/), 'hello  world', expect.stringMatching(/:~#$/)]);
    s.send('cd /tmp\r');
    await s.waitFor(/:\/tmp#$/);
    s.send('exit 5\r');
    expect((await s.exit).code).toBe(5);
    await s.close();
  });

  it('editing keys: arrows, ^A ^E ^B ^F, Backspace, Delete, ^U ^W ^K', async () => {
    const s = await session();
    // "echo wrld" → move left 3, insert "o" → "echo world"; ^A then "X"+Delete fixes nothing, ^E end.
    s.send(`echo wrld${LEFT}${LEFT}${LEFT}o\x01\x1b[3~e\x05!\r`);
    let screen = await s.waitFor(/world!\n.*#$/);
    expect(screen).toMatch(/# echo world!\nworld!\n/);
    // ^U kills the line; ^W kills a word; ^K kills to the end; Backspace erases.
    s.send('garbage\x15echo one two\x17three\x02\x02\x02\x02\x02\x0b\x7fx\r');
    screen = await s.waitFor(/onex\n.*#$/);
    // "echo one three", ^B×5 to "three", ^K kills it, Backspace the blank, then "x".
    expect(tail(screen, 3)).toEqual([expect.stringMatching(/# echo onex$/), 'onex', expect.stringMatching(/#$/)]);
    await s.close();
  });

  it('history: up arrow recalls, ^R searches, and it is saved in $HOME', async () => {
    const s = await session();
    s.send('echo first-entry\r');
    await s.waitFor(/^first-entry$/m);
    s.send('echo second-entry\r');
    await s.waitFor(/^second-entry$/m);
    s.send(`${UP}${UP}\r`);
    let screen = await s.waitFor(/second-entry\n[^\n]*# echo first-entry\nfirst-entry\n[^\n]*#$/);
    s.send('\x12second\r');
    screen = await s.waitFor(/first-entry\n[^\n]*# echo second-entry\nsecond-entry\n[^\n]*#$/);
    expect(screen).toContain('second-entry');
    s.send('history\r');
    screen = await s.waitFor(/\d+ {2}history\n[^\n]*#$/);
    expect(screen).toMatch(/\d+ {2}echo first-entry/);
    await s.close();
    // A new session sees the saved history.
    const again = await session();
    again.send(UP);
    await again.waitFor(/# history$/);
    await again.close();
  });

  it('tab completion: commands, paths, and a listing on double tab', async () => {
    const s = await session();
    s.send('ech\t');
    await s.waitFor(/# echo$/);
    // A unique match is completed with a blank after it.
    const c = await s.cursor();
    expect(c.x).toBe(c.line.trimEnd().length + 1);
    s.send('/et\t');
    await s.waitFor(/# echo \/etc\/$/);
    s.send('\x15ls /etc/host\t\t');
    // Several matches (hostname, hosts …): the common prefix, then the list.
    const screen = await s.waitFor(/hosts[\s\S]*# ls \/etc\/host$/);
    expect(screen).toMatch(/hostname/);
    await s.close();
  });

  it('^C interrupts /bin/sleep 30 within a second and the prompt comes back', async () => {
    const s = await session();
    s.send('/bin/sleep 30\r');
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    s.send('\x03');
    const screen = await s.waitFor(/\^C\n[^\n]*#$/, 2000);
    expect(Date.now() - started).toBeLessThan(1000);
    s.send('echo $?\r');
    await s.waitFor(/^130$/m);
    expect(screen).toContain('/bin/sleep 30');
    await s.close();
  });

  it('^C interrupts the sleep built-in too', async () => {
    const s = await session();
    s.send('sleep 30\r');
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    s.send('\x03');
    await s.waitFor(/\^C\n[^\n]*#$/, 2000);
    expect(Date.now() - started).toBeLessThan(1000);
    await s.close();
  });

  it('line discipline with cat: echo, Enter delivers the line, Backspace edits, ^D ends', async () => {
    const s = await session();
    s.send('/bin/cat\r');
    await new Promise((r) => setTimeout(r, 200));
    s.send('hellp\x7fo\r');
    let screen = await s.waitFor(/^hello\nhello$/m);
    expect(tail(screen, 2)).toEqual(['hello', 'hello']);
    s.send('\x04');
    screen = await s.waitFor(/hello\n[^\n]*#$/);
    s.send('echo status=$?\r');
    await s.waitFor(/^status=0$/m);
    await s.close();
  });

  it('^Z stops a job, jobs lists it, fg resumes it', async () => {
    const s = await session();
    s.send('/bin/sleep 30\r');
    await new Promise((r) => setTimeout(r, 200));
    s.send('\x1a');
    await s.waitFor(/Stopped +\/bin\/sleep 30\n[^\n]*#$/);
    s.send('jobs\r');
    await s.waitFor(/# jobs\n\[1\]\+ {2}Stopped +\/bin\/sleep 30\n[^\n]*#$/);
    s.send('fg\r');
    await s.waitFor(/# fg\n\/bin\/sleep 30$/);
    s.send('\x03');
    await s.waitFor(/\^C\n[^\n]*#$/);
    s.send('jobs; echo end\r');
    const screen = await s.waitFor(/^end\n[^\n]*#$/m);
    // The job is gone: nothing listed between the command and its echo.
    expect(tail(screen, 3)).toEqual([expect.stringMatching(/# jobs; echo end$/), 'end', expect.stringMatching(/#$/)]);
    await s.close();
  });

  it('^L clears the screen and redraws the line being edited at the top', async () => {
    const s = await session();
    s.send('echo one\r');
    await s.waitFor(/^one$/m);
    s.send('echo keep\x0c');
    const screen = await s.waitFor(/^[^\n]*# echo keep$/);
    expect(screen.split('\n')).toHaveLength(1);
    expect((await s.cursor()).y).toBe(0);
    await s.close();
  });

  it('output left mid-line gets a newline before the prompt (PROMPT_SP)', async () => {
    const s = await session();
    s.send('printf abc\r');
    const screen = await s.waitFor(/^abc\n[^\n]*#$/m);
    expect(tail(screen, 2)).toEqual(['abc', expect.stringMatching(/#$/)]);
    await s.close();
  });

  it('wide characters: typed, erased, and the cursor lands right', async () => {
    const s = await session();
    s.send('echo 日本語x\x7f\x7f');
    await s.waitFor(/# echo 日本$/);
    const c = await s.cursor();
    // Prompt + "echo " + two wide characters (4 columns).
    expect(c.x).toBe(c.line.replace(/日本$/, '').length + 4);
    s.send('\r');
    await s.waitFor(/^日本$/m);
    await s.close();
  });

  it('redraws a wrapped line correctly after a resize', async () => {
    const s = await session(40, 10);
    const long = `echo ${'a'.repeat(30)} ${'b'.repeat(20)}`;
    s.send(long);
    await s.waitFor(/b{20}$/);
    await s.resize(25, 10);
    await new Promise((r) => setTimeout(r, 300));
    s.send('Z');
    const screen = await s.waitFor(/Z$/);
    // The prompt appears once and the line reads back intact.
    const joined = screen.split('\n').filter(Boolean).join('');
    expect(joined.match(/# /g)).toHaveLength(1);
    expect(joined).toContain(`${long}Z`);
    // Wider again: the line reflows back onto fewer rows, still drawn once.
    await s.resize(70, 10);
    await new Promise((r) => setTimeout(r, 300));
    s.send('Y');
    const wide = await s.waitFor(/ZY$/);
    const rows = wide.split('\n').filter(Boolean);
    expect(rows.filter((r) => r.includes('# '))).toHaveLength(1);
    expect(rows.join('')).toContain(`${long}ZY`);
    // 69 columns now fit on one row of 70.
    expect(rows.at(-1)).toMatch(/^[^\s]+# echo a{30} b{20}ZY$/);
    s.send('\r');
    await s.waitFor(/^a{25}/m);
    await s.close();
  });

  it('^D on an empty line ends the session with the last status', async () => {
    const s = await session();
    s.send('false\r');
    await s.waitFor(/# false\n[^\n]*#$/);
    s.send('\x04');
    expect((await s.exit).code).toBe(1);
    await s.close();
  });

  it('announces a finished background job before the next prompt', async () => {
    const s = await session();
    s.send('/bin/sleep 0.1 &\r');
    await s.waitFor(/^\[1\] \d+$/m);
    await new Promise((r) => setTimeout(r, 300));
    s.send('\r');
    await s.waitFor(/^\[1\]\+ {2}Done +\/bin\/sleep 0\.1\n[^\n]*#$/m);
    await s.close();
  });

  it('output of a background job while typing: the line moves below it, intact', async () => {
    const s = await session();
    s.send('sh -c "sleep 0.3; printf bg-output" &\r');
    await s.waitFor(/^\[1\] \d+\n[^\n]*#$/m);
    s.send('echo typed');
    const screen = await s.waitFor(/^bg-output\n[^\n]*# echo typed$/m);
    expect(screen.match(/# echo typed/g)).toHaveLength(1);
    s.send('\r');
    await s.waitFor(/^typed$/m);
    await s.close();
  });

  it('lines typed while a built-in runs are not lost: they run next, as on a tty', async () => {
    const s = await session();
    s.send('sleep 0.5\r');
    await new Promise((r) => setTimeout(r, 150));
    s.send('echo typed-ahead\rech');
    const screen = await s.waitFor(/^typed-ahead\n[^\n]*# ech$/m);
    // Echoed once while sleep ran, then shown on the prompt and run.
    expect(screen).toMatch(/# sleep 0\.5\necho typed-ahead\nech\n[^\n]*# echo typed-ahead\ntyped-ahead\n[^\n]*# ech$/);
    s.send('o done\r');
    await s.waitFor(/^done$/m);
    await s.close();
  });

  it('^C ends a built-in blocked reading the terminal', async () => {
    const s = await session();
    s.send('sha256sum\r');
    await new Promise((r) => setTimeout(r, 200));
    s.send('abc\r\x03');
    await s.waitFor(/\^C\n[^\n]*#$/, 2000);
    s.send('echo $?\r');
    await s.waitFor(/^130$/m);
    await s.close();
  });
});

describe('exec over SSH with a pty (ssh -t dev CMD)', () => {
  it('translates \\n to \\r\\n and ^C interrupts the command', async () => {
    const s = await openPty(server, { cols: 80, rows: 24 }, { exec: 'printf "a\\nb\\n"; /bin/sleep 30' });
    await s.waitFor(/^a\nb$/m);
    expect(s.raw().toString()).toContain('a\r\nb\r\n');
    const started = Date.now();
    s.send('\x03');
    const exit = await s.exit;
    expect(Date.now() - started).toBeLessThan(1000);
    // exit-signal INT (ssh2's client names it SIGINT).
    expect(exit).toMatchObject({ code: null, signal: 'SIGINT' });
    await s.close();
  });

  it('without a pty, a "signal" request reaches the foreground job', async () => {
    const s = await openPty(server, { cols: 80, rows: 24 }, { exec: 'echo go; /bin/sleep 30', pty: false });
    await s.waitFor(/^go$/m);
    s.signal('TERM');
    const exit = await s.exit;
    expect(exit).toMatchObject({ code: null, signal: 'SIGTERM' });
    await s.close();
  });
});
