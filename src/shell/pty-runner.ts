// With a pty, a foreground external program whose stdio is the terminal runs on a real
// pseudo-terminal (src/pty: busybox telnetd from the toolbox), so vi, less, top and the
// toolbox's interactive sh behave as on any Linux console. Without a busybox that has
// telnetd, the program keeps the pipes and the shell's software line discipline.
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { startOnBusyboxPty } from '../pty/index.js';
import { nodeFileSystem } from './files/index.js';
import type { FileSystem } from './files/index.js';
import { signalName, statusOfSignal } from './interp/index.js';
import type { Job, TerminalCommand } from './interp/index.js';
import type { TerminalScreen } from './terminal.js';
import type { ExitResult, TerminalSize } from './types.js';

export interface TerminalRunnerDeps {
  screen: TerminalScreen;
  size: () => TerminalSize;
  /** Where PATH is searched for busybox (the session's file system). */
  fs?: FileSystem;
  /** Where the pty launcher's private files go (tmpfs on a device). */
  scratchDir?: string;
  /** Keys typed after the program ended, handed back to the shell as type-ahead. */
  giveBack?: (keys: Buffer) => void;
}

/** The applets the pty needs: telnetd allocates it, ash runs the program on it. */
const NEEDED_APPLETS = ['telnetd', 'sh'];
const capable = new Map<string, Promise<boolean>>();

/** A busybox on PATH that has telnetd and sh, or undefined. Checked once per binary. */
export async function findPtyBusybox(path: string | undefined, fs: FileSystem = nodeFileSystem): Promise<string | undefined> {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir.startsWith('/')) continue;
    const candidate = join(dir, 'busybox');
    const info = await fs.stat(candidate).catch(() => undefined);
    if (!info?.isFile() || (info.mode & 0o111) === 0) continue;
    const key = `${candidate}:${info.mtimeMs}:${info.size}`;
    let check = capable.get(key);
    if (!check) {
      check = hasApplets(candidate);
      capable.set(key, check);
    }
    if (await check) return candidate;
  }
  return undefined;
}

function hasApplets(busybox: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(busybox, ['--list'], { timeout: 5_000, maxBuffer: 1 << 20 }, (err, stdout) => {
      if (err) return resolve(false);
      const applets = new Set(stdout.split('\n'));
      resolve(NEEDED_APPLETS.every((a) => applets.has(a)));
    });
  });
}

/** Programs that draw the whole screen: over pipes they garble it, so they get a hint instead. */
const FULL_SCREEN = new Set(['vi', 'vim', 'nvi', 'nano', 'less', 'more', 'most', 'top', 'htop', 'atop', 'watch', 'man', 'mc', 'tmux', 'screen', 'iftop', 'nethogs', 'alsamixer', 'emacs']);

const NO_BUSYBOX = 'the toolbox has no busybox with telnetd to make one; upload one (busybox-fetch --arch ARCH, then scp debug-ARCH.tar HOST:) and run it again';

export function fullScreenHint(name: string, why: string): string {
  return `sh: ${name}: needs a real terminal, and ${why}\n`;
}

/** Without a pty, a full-screen program gets one line instead of a garbled screen; others get pipes. */
function refuseFullScreen(cmd: TerminalCommand, deps: TerminalRunnerDeps, why: string): ExitResult | undefined {
  const name = basename(cmd.argv[0] ?? cmd.path);
  if (!FULL_SCREEN.has(name)) return undefined;
  deps.screen.write(fullScreenHint(name, why).replace('\n', '\r\n'));
  return { code: 126 };
}

/** Interpreter's runOnTerminal for a session with a pty. */
export function terminalRunner(deps: TerminalRunnerDeps): (cmd: TerminalCommand, job: Job) => Promise<ExitResult | undefined> {
  return async (cmd, job) => {
    const busybox = await findPtyBusybox(cmd.env['PATH'], deps.fs);
    if (!busybox) return refuseFullScreen(cmd, deps, NO_BUSYBOX);
    const { cols, rows } = deps.size();
    const program = await startOnBusyboxPty({
      busybox,
      // The resolved path, so ash runs exactly what our lookup found.
      argv: [cmd.path, ...cmd.argv.slice(1)],
      cwd: cmd.cwd,
      env: cmd.env,
      cols,
      rows,
      scratchDir: deps.scratchDir ?? tmpdir(),
    });
    job.add(program.process);
    job.terminal = { write: (keys) => program.write(keys), resize: (c, r) => program.resize(c, r), resume: () => program.resume() };
    program.onStop(() => job.stopped());
    const drawn = new Promise<void>((resolve) => {
      program.output.on('data', (chunk: Buffer) => {
        program.output.pause();
        void deps.screen.passthrough(chunk).then(() => program.output.resume());
      });
      program.output.on('end', resolve);
    });
    try {
      const [exit] = await Promise.all([program.exit, drawn]);
      // The program never ran (no devpts on this device, say): pipes are still safe.
      if (!exit.started) return refuseFullScreen(cmd, deps, 'busybox telnetd could not open a pty (is devpts mounted on /dev/pts, with /dev/ptmx?)');
      // No status: the pty went away under the program (hang-up, telnetd killed).
      if (exit.code === null) return statusOfSignal('SIGHUP');
      // ash reports a death by signal N as 128+N, as our own externals do (exit-signal).
      const name = exit.code > 128 ? signalName(exit.code - 128) : undefined;
      return name ? statusOfSignal(name) : { code: exit.code };
    } finally {
      job.terminal = undefined;
      const unread = program.takeUnread();
      if (unread.length) deps.giveBack?.(unread);
    }
  };
}
