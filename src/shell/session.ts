// A shell bound to one SSH session channel: exec mode (one command line, stdin from the
// channel) and interactive mode (prompt, line editor, line discipline for jobs).
import { Writable } from 'node:stream';
import { builtinTable } from './builtins/index.js';
import { ChannelInput } from './input.js';
import { Interpreter } from './interp/interpreter.js';
import type { Job } from './interp/job.js';
import type { ExitResult, ShellSession, ShellSessionOptions, TerminalSize } from './types.js';

export class Session implements ShellSession {
  readonly interp: Interpreter;
  private readonly channelInput: ChannelInput;
  private size: TerminalSize;
  private foregroundJob: Job | undefined;
  private closed = false;

  constructor(private readonly options: ShellSessionOptions) {
    this.size = options.pty ? { cols: options.pty.cols, rows: options.pty.rows } : { cols: 80, rows: 24 };
    this.channelInput = new ChannelInput(options.stdin);
    const env = { ...options.env };
    if (options.pty) env['TERM'] = options.pty.term || 'xterm';
    this.interp = new Interpreter({
      builtins: builtinTable(),
      services: options.services,
      env,
      cwd: options.cwd,
      home: options.home,
      stdout: options.stdout,
      stderr: options.stderr,
      isTTY: Boolean(options.pty),
      terminal: () => this.size,
      interactive: false,
      openInput: () => this.channelInput.open(),
      onForeground: (job) => {
        this.foregroundJob = job;
      },
    });
  }

  async runCommand(line: string): Promise<ExitResult> {
    this.interp.exitCode = undefined;
    const result = await this.interp.runLine(line);
    await flush(this.options.stdout);
    return result;
  }

  runInteractive(): Promise<ExitResult> {
    throw new Error('interactive shell: not implemented yet');
  }

  resize(size: TerminalSize): void {
    this.size = { cols: size.cols, rows: size.rows };
  }

  signal(name: string): void {
    const sig = (name.startsWith('SIG') ? name : `SIG${name}`) as NodeJS.Signals;
    this.foregroundJob?.kill(sig);
  }

  async close(graceMs?: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.interp.close(graceMs);
  }
}

/** Waits until everything written so far has been handed on (a zero-length write's callback). */
function flush(stream: Writable): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.resolve();
  return new Promise((resolve) => stream.write('', () => resolve()));
}
