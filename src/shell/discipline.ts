// The line discipline the shell provides for a foreground job, as a kernel tty in
// cooked mode would (termios(3): ICANON, ECHO, ECHOCTL, ISIG): typed characters are
// echoed and edited locally, a line goes to the job's stdin on Enter, ^D ends its
// stdin, and ^C ^\ ^Z become SIGINT, SIGQUIT, SIGTSTP for the job's process groups.
import { StringDecoder } from 'node:string_decoder';
import type { Job } from './interp/index.js';
import { charWidth } from './lineedit/index.js';

/** Where finished lines go: the job's stdin. */
export interface LineSink {
  write(data: string | Buffer): void;
  /** End of file (^D on an empty line). */
  end(): void;
}

export interface DisciplineHooks {
  /** Echo to the terminal. */
  echo(text: string): void;
  /** ^Z stopped the job. */
  stopped?(job: Job): void;
  /** ^C was sent (after the signal). */
  interrupted?(): void;
}

export class LineDiscipline {
  private line: string[] = [];
  /** A UTF-8 character may arrive split across packets. */
  private readonly utf8 = new StringDecoder('utf8');

  constructor(
    private readonly job: Job,
    /** The job's stdin; undefined when it does not read the terminal. */
    private readonly sink: LineSink | undefined,
    private readonly hooks: DisciplineHooks,
    /** Raw mode (`top`): bytes pass unchanged, only ^C is still a signal. */
    readonly raw = false,
  ) {}

  feed(chunk: Buffer): void {
    if (this.raw) {
      if (chunk.includes(0x03)) {
        this.job.kill('SIGINT');
        this.hooks.interrupted?.();
        return;
      }
      this.send(chunk);
      return;
    }
    for (const ch of this.utf8.write(chunk)) this.char(ch);
  }

  private send(data: string | Buffer): void {
    this.sink?.write(data);
  }

  /** Restores a partly typed line (already echoed) carried over from the previous job. */
  seed(partial: string): void {
    this.line.push(...partial);
  }

  /** The partly typed line (no Enter yet), handed back to the prompt when the job ends. */
  takePartial(): string {
    const text = this.line.join('');
    this.line = [];
    return text;
  }

  private char(ch: string): void {
    const code = ch.codePointAt(0)!;
    switch (code) {
      case 0x03: // ^C VINTR
        this.line = [];
        this.hooks.echo('^C');
        this.job.kill('SIGINT');
        this.hooks.interrupted?.();
        return;
      case 0x1c: // ^\ VQUIT
        this.line = [];
        this.hooks.echo('^\\');
        this.job.kill('SIGQUIT');
        return;
      case 0x1a: // ^Z VSUSP
        this.hooks.echo('^Z');
        if (this.job.stop()) this.hooks.stopped?.(this.job);
        return;
      case 0x04: // ^D VEOF: send what is typed; on an empty line, end of file.
        if (this.line.length === 0) {
          this.sink?.end();
        } else {
          this.send(this.line.join(''));
          this.line = [];
        }
        return;
      case 0x0d: // Enter (ICRNL)
      case 0x0a:
        this.hooks.echo('\r\n');
        this.send(`${this.line.join('')}\n`);
        this.line = [];
        return;
      case 0x7f: // VERASE
      case 0x08:
        this.erase(1);
        return;
      case 0x15: // ^U VKILL
        this.erase(this.line.length);
        return;
      case 0x17: {
        // ^W VWERASE
        let n = 0;
        let i = this.line.length;
        while (i > 0 && this.line[i - 1] === ' ') (i--, n++);
        while (i > 0 && this.line[i - 1] !== ' ') (i--, n++);
        this.erase(n);
        return;
      }
      default:
        this.line.push(ch);
        // ECHOCTL: control characters echo as ^X.
        this.hooks.echo(code < 0x20 ? `^${String.fromCharCode(code + 0x40)}` : ch);
    }
  }

  private erase(count: number): void {
    let out = '';
    for (let k = 0; k < count && this.line.length > 0; k++) {
      const ch = this.line.pop()!;
      const code = ch.codePointAt(0)!;
      const w = code < 0x20 ? 2 : charWidth(code);
      out += '\b'.repeat(w) + ' '.repeat(w) + '\b'.repeat(w);
    }
    if (out) this.hooks.echo(out);
  }
}
