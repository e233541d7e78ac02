// A real pseudo-terminal for one external program, without a native add-on. Node cannot
// open a pty or call ioctl, but `busybox telnetd -i` can: in inetd mode it talks telnet
// on its stdin/stdout (our pipes), allocates a pty, makes it the controlling terminal of
// a new session (setsid + TIOCSCTTY) and execs its -l program there. That program is
// busybox's ash (a `sh` link to the toolbox busybox, in a private dir) with ENV set to a
// one-shot script: ash runs ENV before its first prompt, so the script runs the user's
// program in the foreground of the pty — with ash's job control, ^C/^\ reach it through
// the pty's own line discipline — prints an exit mark with the status, and exits.
// telnetd leaves once every process has closed the pty, after relaying all its output
// (`-K` would leave as soon as ash exits and drop output not yet relayed). Window sizes travel as telnet NAWS,
// which telnetd turns into TIOCSWINSZ (and so SIGWINCH). See markers.ts, telnet.ts.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import { MarkerFilter } from './markers.js';
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
  /** False when the program never ran: telnetd or ash failed first (e.g. no /dev/pts). */
  started: boolean;
}

export interface PtyProgram {
  /** What the program draws, ready for the user's terminal. */
  readonly output: Readable;
  /** Keystrokes from the user's terminal. */
  write(data: Buffer): void;
  resize(cols: number, rows: number): void;
  /** Called when ^Z stopped the program (the pty's job control). */
  onStop(listener: () => void): void;
  /** Continues a stopped program in the pty's foreground. */
  resume(): void;
  /** Keys typed after the program had ended (its exit mark seen): they belong to our shell. */
  takeUnread(): Buffer;
  /** Hang up: the pty closes, the kernel sends SIGHUP to its session. */
  hangUp(): void;
  readonly exit: Promise<PtyExit>;
  readonly pid: number | undefined;
  /** busybox telnetd, the pty's owner, in a process group of its own. */
  readonly process: ChildProcess;
}

/** Single-quotes a word for ash: 'it'\''s'. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The one-shot ENV script: start mark, the program, exit mark with its status, exit. */
export function launchScript(argv: string[], token: string, busybox: string): string {
  const bb = shellQuote(busybox);
  const mark = (what: string): string => `printf '\\033]777;${token};${what}\\007'`;
  return [
    'unset ENV HISTFILE',
    // An interactive ash aborts its ENV script on ^C; with a trap it runs the trap
    // instead and goes on to report the status. Children get the default action back.
    'trap : INT QUIT',
    // Wait for the relay's "size is set" line: telnetd applies the NAWS sent before it
    // first, so the program never sees a 0x0 window (busybox `stty size` fails on one).
    'read -r _',
    mark('start'),
    argv.map(shellQuote).join(' '),
    's=$?',
    // ^Z stopped it (ash's job control on the pty): say so, wait for the relay's resume
    // line (our shell's fg), continue it in the foreground.
    'while [ -n "$(jobs)" ]; do',
    `  ${mark('stopped')}`,
    '  read -r -s _',
    '  fg >/dev/null 2>&1',
    '  s=$?',
    'done',
    // Keys typed ahead while the program ran and not read by it wait in the pty's input
    // queue; a real tty would keep them for the next program. Hand them back: the relay
    // answers the exit mark with END_OF_TYPEAHEAD, so everything it sent before is read
    // (raw and without echo before the mark, so nothing of it is drawn or translated).
    `${bb} stty raw -echo 2>/dev/null`,
    `${mark('%d')} "$s"`,
    `IFS= read -r -d "$(printf '\\0${END_OF_TYPEAHEAD.toString(8)}')" t`,
    `printf '%s' "$t"`,
    'exit',
    '',
  ].join('\n');
}

/** Ctrl-], telnet's own escape key: ends the type-ahead the script copies back. */
const END_OF_TYPEAHEAD = 0x1d;

/** The line the script waits for before it starts the program (see launchScript). */
const SIZE_IS_SET = '\n';

/** After the start mark, ash still forks and execs the program and hands it the pty. */
const START_SETTLE_MS = 50;

export async function startOnBusyboxPty(options: PtyStartOptions): Promise<PtyProgram> {
  const dir = await mkdtemp(join(options.scratchDir, '.pty-'));
  const token = randomBytes(8).toString('hex');
  const script = join(dir, 'run');
  await writeFile(script, launchScript(options.argv, token, options.busybox), { mode: 0o600 });
  await symlink(options.busybox, join(dir, 'sh'));

  const child = spawn(options.busybox, ['telnetd', '-i', '-f', '/dev/null', '-l', join(dir, 'sh')], {
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
  const unread: Buffer[] = [];
  const stopListeners: Array<() => void> = [];
  // Keys typed before the program runs would reach ash, not the program (a ^C would be
  // lost to its trap): hold them until shortly after the start mark.
  let early: Buffer[] | undefined = [];
  const releaseEarly = (): void => {
    const keys = early;
    early = undefined;
    for (const k of keys ?? []) {
      if (code !== null) unread.push(k);
      else if (stdin.writable) stdin.write(encodeInput(k));
    }
  };
  let stopped = false;
  const stdin = child.stdin!;
  stdin.on('error', () => undefined); // telnetd gone: exit below says why
  stdin.write(encodeWindowSize(options.cols, options.rows));
  stdin.write(SIZE_IS_SET);
  child.stdout!.on('data', (chunk: Buffer) => {
    const wasStarted = filter.started;
    const result = filter.push(decoder.decode(chunk));
    if (!wasStarted && filter.started) {
      setTimeout(releaseEarly, START_SETTLE_MS);
      // ash has its script open and telnetd has exec'd it: the files are no longer
      // needed, and removing them now leaves nothing behind if we die with the program.
      void rm(dir, { recursive: true, force: true });
    }
    if (result.data.length) output.write(result.data);
    if (result.stops) {
      stopped = true;
      for (const listener of stopListeners) listener();
    }
    if (result.status !== undefined) {
      code = result.status;
      if (stdin.writable) stdin.write(Buffer.from([END_OF_TYPEAHEAD]));
    }
    if (result.rest?.length) unread.push(Buffer.from(result.rest));
  });
  const exit = new Promise<PtyExit>((resolveExit) => {
    child.on('close', () => {
      releaseEarly(); // a program quicker than START_SETTLE_MS: its early keys are ours
      output.end();
      void rm(dir, { recursive: true, force: true }).finally(() => resolveExit({ code, started: filter.started }));
    });
    child.on('error', () => undefined); // close follows
  });
  return {
    output,
    exit,
    pid: child.pid,
    process: child,
    write: (data) => {
      if (code !== null) unread.push(data);
      else if (early) early.push(data);
      else if (stdin.writable) stdin.write(encodeInput(data));
    },
    takeUnread: () => Buffer.concat(unread.splice(0)),
    onStop: (listener) => {
      stopListeners.push(listener);
    },
    resume: () => {
      if (!stopped || !stdin.writable) return;
      stopped = false;
      stdin.write('\n'); // the line the script's `read` waits for
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
