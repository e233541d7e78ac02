// A real pseudo-terminal for one external program, without a native add-on. Node cannot
// open a pty or call ioctl, but `busybox telnetd -i` can: in inetd mode it talks telnet
// on its stdin/stdout (our pipes), allocates a pty, makes it the controlling terminal of
// a new session (setsid + TIOCSCTTY) and execs its -l program there. That program is
// busybox's ash (a `sh` link to the toolbox busybox, in a private dir) with ENV set to a
// one-shot script: ash runs ENV before its first prompt, so the script runs the user's
// program in the foreground of the pty — with ash's job control, ^C/^\ reach it through
// the pty's own line discipline — prints an exit mark with the status, and exits;
// `-K` makes telnetd leave as soon as ash does. Window sizes travel as telnet NAWS,
// which telnetd turns into TIOCSWINSZ (and so SIGWINCH). See markers.ts, telnet.ts.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import { MarkerFilter, startMark } from './markers.js';
import { TelnetDecoder, encodeInput, encodeWindowSize } from './telnet.js';

export interface PtyStartOptions {
  /** Path of a busybox that has telnetd and ash (the toolbox's). */
  busybox: string;
  /** The program and its arguments; argv[0] is looked up on env.PATH by ash. */
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
  /** A directory for the private `sh` link and script (the toolbox dir: tmpfs). */
  scratchDir: string;
}

export interface PtyExit {
  /** The program's exit status as ash reports it (128+N after signal N); null if it never reported. */
  code: number | null;
}

export interface PtyProgram {
  /** What the program draws, ready for the user's terminal. */
  readonly output: Readable;
  /** Keystrokes from the user's terminal. */
  write(data: Buffer): void;
  resize(cols: number, rows: number): void;
  /** Hang up: the pty closes, the kernel sends SIGHUP to its session. */
  hangUp(): void;
  readonly exit: Promise<PtyExit>;
  readonly pid: number | undefined;
}

/** Single-quotes a word for ash: 'it'\''s'. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The one-shot ENV script: start mark, the program, exit mark with its status, exit. */
export function launchScript(argv: string[], token: string): string {
  const mark = (what: string): string => `printf '${startMark(token).replace('start', what).replaceAll('\x1b', '\\033').replaceAll('\x07', '\\007')}'`;
  return [
    'unset ENV HISTFILE',
    // An interactive ash aborts its ENV script on ^C; with a trap it runs the trap
    // instead and goes on to report the status. Children get the default action back.
    "trap : INT QUIT",
    mark('start'),
    argv.map(shellQuote).join(' '),
    mark('%d') + ' "$?"',
    // telnetd -K leaves as soon as ash exits, dropping pty output it has not relayed yet:
    // wait for the relay to acknowledge the exit mark with one byte first.
    'read -r -s -n 1 -t 10 _',
    'exit',
    '',
  ].join('\n');
}

export async function startOnBusyboxPty(options: PtyStartOptions): Promise<PtyProgram> {
  const dir = await mkdtemp(join(options.scratchDir, '.pty-'));
  const token = randomBytes(8).toString('hex');
  const script = join(dir, 'run');
  await writeFile(script, launchScript(options.argv, token), { mode: 0o600 });
  await symlink(options.busybox, join(dir, 'sh'));

  const child = spawn(options.busybox, ['telnetd', '-i', '-K', '-f', '/dev/null', '-l', join(dir, 'sh')], {
    cwd: options.cwd,
    env: { ...options.env, ENV: script, PS1: '' },
    stdio: ['pipe', 'pipe', 'ignore'],
    detached: true, // own process group: a signal to our shell's jobs never reaches it by accident
  });
  return relay(child, token, dir, options);
}

function relay(child: ChildProcess, token: string, dir: string, options: PtyStartOptions): PtyProgram {
  const output = new PassThrough();
  const decoder = new TelnetDecoder();
  const filter = new MarkerFilter(token);
  let code: number | null = null;
  const stdin = child.stdin!;
  stdin.on('error', () => undefined); // telnetd gone: exit below says why
  stdin.write(encodeWindowSize(options.cols, options.rows));
  child.stdout!.on('data', (chunk: Buffer) => {
    const result = filter.push(decoder.decode(chunk));
    if (result.data.length) output.write(result.data);
    if (result.status !== undefined) {
      code = result.status;
      if (stdin.writable) stdin.write('\n'); // the acknowledgement launchScript waits for
    }
  });
  const exit = new Promise<PtyExit>((resolveExit) => {
    child.on('close', () => {
      output.end();
      void rm(dir, { recursive: true, force: true }).finally(() => resolveExit({ code }));
    });
    child.on('error', () => undefined); // close follows
  });
  return {
    output,
    exit,
    pid: child.pid,
    write: (data) => {
      if (stdin.writable) stdin.write(encodeInput(data));
    },
    resize: (cols, rows) => {
      if (stdin.writable) stdin.write(encodeWindowSize(cols, rows));
    },
    hangUp: () => {
      // telnetd owns the pty master: when it dies the slave hangs up (SIGHUP to the session).
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
  };
}
