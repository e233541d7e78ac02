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
import { signalGroup } from '../os/index.js';
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
  return new BusyboxPty(child, token, dir, options);
}

/**
 * The relay between our side and telnetd: decodes its telnet output, filters the marks
 * out of it (start, stopped, exit status) and encodes our keys and window sizes for it.
 */
class BusyboxPty implements PtyProgram {
  readonly output = new PassThrough();
  readonly exit: Promise<PtyExit>;
  readonly pid: number | undefined;
  private readonly decoder = new TelnetDecoder();
  private readonly filter: MarkerFilter;
  private readonly stdin: NonNullable<ChildProcess['stdin']>;
  /** The exit status from the exit mark; null until it is seen. */
  private code: number | null = null;
  private readonly unread: Buffer[] = [];
  private readonly stopListeners: Array<() => void> = [];
  // Keys typed before the program runs would reach ash, not the program (a ^C would be
  // lost to its trap): hold them until shortly after the start mark.
  private early: Buffer[] | undefined = [];
  private stopped = false;

  readonly process: ChildProcess;

  constructor(child: ChildProcess, token: string, private readonly dir: string, options: PtyStartOptions) {
    this.process = child;
    this.pid = child.pid;
    this.filter = new MarkerFilter(token);
    this.stdin = child.stdin!;
    this.stdin.on('error', () => undefined); // telnetd gone: exit below says why
    this.stdin.write(encodeWindowSize(options.cols, options.rows));
    this.stdin.write(SIZE_IS_SET);
    child.stdout!.on('data', (chunk: Buffer) => this.received(chunk));
    this.exit = new Promise<PtyExit>((resolveExit) => {
      child.on('close', () => {
        this.releaseEarly(); // a program quicker than START_SETTLE_MS: its early keys are ours
        this.output.end();
        void this.removeDir().finally(() => resolveExit({ code: this.code, started: this.filter.started }));
      });
      child.on('error', () => undefined); // close follows
    });
  }

  write(data: Buffer): void {
    if (this.code !== null) this.unread.push(data);
    else if (this.early) this.early.push(data);
    else this.send(encodeInput(data));
  }

  takeUnread(): Buffer {
    return Buffer.concat(this.unread.splice(0));
  }

  onStop(listener: () => void): void {
    this.stopListeners.push(listener);
  }

  resume(): void {
    if (!this.stopped || !this.stdin.writable) return;
    this.stopped = false;
    this.stdin.write('\n'); // the line the script's `read` waits for
  }

  resize(cols: number, rows: number): void {
    this.send(encodeWindowSize(cols, rows));
  }

  hangUp(): void {
    // telnetd owns the pty master: when it dies the slave hangs up (SIGHUP to the session).
    if (this.pid !== undefined && this.process.exitCode === null) signalGroup(this.pid, 'SIGKILL');
  }

  /** telnetd's output: the program's screen, with the script's marks among it. */
  private received(chunk: Buffer): void {
    const wasStarted = this.filter.started;
    const result = this.filter.push(this.decoder.decode(chunk));
    if (!wasStarted && this.filter.started) {
      setTimeout(() => this.releaseEarly(), START_SETTLE_MS);
      // ash has its script open and telnetd has exec'd it: the files are no longer
      // needed, and removing them now leaves nothing behind if we die with the program.
      void this.removeDir();
    }
    if (result.data.length) this.output.write(result.data);
    if (result.stops) {
      this.stopped = true;
      for (const listener of this.stopListeners) listener();
    }
    if (result.status !== undefined) {
      this.code = result.status;
      this.send(Buffer.from([END_OF_TYPEAHEAD]));
    }
    if (result.rest?.length) this.unread.push(Buffer.from(result.rest));
  }

  /** Sends the keys held back before the program ran (ours, if it already ended). */
  private releaseEarly(): void {
    const keys = this.early;
    this.early = undefined;
    for (const k of keys ?? []) {
      if (this.code !== null) this.unread.push(k);
      else this.send(encodeInput(k));
    }
  }

  private send(data: Buffer | string): void {
    if (this.stdin.writable) this.stdin.write(data);
  }

  private removeDir(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}
