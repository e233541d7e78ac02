// A shell bound to one SSH session channel: exec mode (one command line, stdin from the
// channel) and interactive mode (prompt, line editor, and the line discipline for the
// foreground job when the client has a pty).
import type { Readable, Writable } from 'node:stream';
import { builtinTable, jobLine } from './builtins/index.js';
import { LineDiscipline } from './discipline.js';
import { TerminalInput } from './terminal-input.js';
import { ChannelInput } from './input.js';
import { emptyInput, Interpreter } from './interp/index.js';
import type { Job } from './interp/index.js';
import { columns, complete, escapeWord, fileSystemSources, History, KeyDecoder, LineEditor, redraw } from './lineedit/index.js';
import type { CompletionSources, EditAction, Key } from './lineedit/index.js';
import { terminalRunner } from './pty-runner.js';
import { TerminalScreen } from './terminal.js';
import type { ExitResult, JobSummary, ShellSession, ShellSessionOptions, TerminalSize } from './types.js';
import type { IMarker } from '@xterm/headless';

interface Reading {
  editor: LineEditor;
  prompt: string;
  /** Rows the cursor is below the prompt's first row. */
  cursorRow: number;
  marker: IMarker | undefined;
  /** Erased while a background job's output goes by. */
  hidden?: boolean;
  redrawTimer?: NodeJS.Timeout | undefined;
  resolve(line: string | null): void;
}

export class Session implements ShellSession {
  readonly interp: Interpreter;
  /** Created on first use: its 'readable' listener would stop 'data' events in interactive mode. */
  private channelInput: ChannelInput | undefined;
  private readonly builtins = builtinTable();
  private readonly history: History;
  private readonly screen: TerminalScreen | undefined;
  private readonly size: TerminalSize;
  private foregroundJob: Job | undefined;
  private interactive = false;
  /** With a pty, keys are read here (line editor / line discipline). */
  private keysAttached = false;
  private closed = false;
  // Interactive input state.
  private readonly decoder = new KeyDecoder();
  private reading: Reading | undefined;
  private discipline: LineDiscipline | undefined;
  private typeahead: Buffer[] = [];
  private escapeTimer: NodeJS.Timeout | undefined;
  private inputEnded = false;
  /** Cooked lines for the foreground job's stdin (pty only). */
  private readonly terminalInput = new TerminalInput();
  /** Typed (and echoed) while a job ran but not read by it: for the next job or the prompt. */
  private leftover = { lines: '', partial: '' };
  private readonly out: Writable;
  private readonly err: Writable;
  /** The last resize of the screen model (a snapshot waits for it). */
  private resizing: Promise<void> = Promise.resolve();

  constructor(private readonly options: ShellSessionOptions) {
    this.size = options.pty ? { cols: options.pty.cols, rows: options.pty.rows } : { cols: 80, rows: 24 };
    this.history = History.inHome(options.home, options.fs);
    if (options.pty) {
      this.screen = new TerminalScreen(options.stdout, this.size, options.scrollback);
      this.screen.beforeOutput = () => this.hideLine();
      this.screen.afterOutput = () => this.scheduleShowLine();
      this.out = this.screen.out;
      this.err = this.screen.out;
    } else {
      this.out = options.stdout;
      this.err = options.stderr;
    }
    const env = { ...options.env };
    if (options.pty) env['TERM'] = options.pty.term || 'xterm';
    this.interp = new Interpreter({
      builtins: this.builtins,
      services: options.services,
      env,
      cwd: options.cwd,
      home: options.home,
      stdout: this.out,
      stderr: this.err,
      isTTY: Boolean(options.pty),
      terminal: () => this.size,
      interactive: false,
      openInput: () => this.openInput(),
      onForeground: (job) => this.setForeground(job),
      history: { list: () => this.history.entries, clear: () => this.history.clear() },
      ...(options.fs ? { fs: options.fs } : {}),
      runOnTerminal: this.screen ? terminalRunner({ screen: this.screen, size: () => this.size, ...(options.fs ? { fs: options.fs } : {}), giveBack: (keys) => this.onInput(keys) }) : undefined,
    });
  }

  // ---- exec ----------------------------------------------------------------------------

  async runCommand(line: string): Promise<ExitResult> {
    // `ssh -t dev cmd`: with a pty the shell is the line discipline here too (^C works).
    if (this.screen) this.attachTerminalInput();
    this.interp.exitCode = undefined;
    const result = await this.interp.runLine(line);
    await flush(this.out);
    return result;
  }

  // ---- interactive -----------------------------------------------------------------------

  async runInteractive(): Promise<ExitResult> {
    this.interactive = true;
    this.interp.interactive = true;
    await this.history.load();
    const greeting = this.options.greeting;
    if (greeting) {
      if (this.screen) this.screen.write(greeting.replace(/\n/g, '\r\n'));
      else this.out.write(greeting);
    }
    if (!this.screen) return this.runWithoutPty();
    this.attachTerminalInput();
    for (;;) {
      this.reportJobs();
      const line = await this.readLine();
      if (line === null) break;
      this.history.add(line);
      if (line.trim()) this.options.services.audit?.('command', { line });
      try {
        await this.interp.runLine(line);
      } catch (err) {
        this.internalError(err);
      }
      if (this.interp.exitCode !== undefined || this.closed) break;
    }
    await this.history.flushed();
    await flush(this.out);
    // An interactive shell exits with a status; only exec reports a signal death.
    return { code: this.interp.result().code };
  }

  /** `ssh -T host` with a shell request: read command lines from stdin, no prompt or echo. */
  private async runWithoutPty(): Promise<ExitResult> {
    let buffered = '';
    const lines: string[] = [];
    let ended = false;
    let wake: (() => void) | undefined;
    this.options.stdin.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      lines.push(...parts);
      wake?.();
    });
    const onEnd = (): void => {
      ended = true;
      if (buffered) lines.push(buffered);
      buffered = '';
      wake?.();
    };
    this.options.stdin.on('end', onEnd);
    this.options.stdin.on('close', onEnd);
    for (;;) {
      while (lines.length === 0 && !ended) await new Promise<void>((r) => (wake = r));
      const line = lines.shift();
      if (line === undefined) break;
      await this.interp.runLine(line);
      if (this.interp.exitCode !== undefined || this.closed) break;
    }
    await flush(this.out);
    return this.interp.result();
  }

  private attachTerminalInput(): void {
    if (this.keysAttached) return;
    this.keysAttached = true;
    this.options.stdin.on('data', (chunk: Buffer) => {
      // A bug in key handling must not take the whole server down.
      try {
        this.onInput(chunk);
      } catch (err) {
        this.internalError(err);
      }
    });
    this.options.stdin.on('end', () => this.onInputEnd());
    this.options.stdin.on('close', () => this.onInputEnd());
  }

  private openInput(): Readable {
    if (!this.screen) {
      if (this.interactive) return emptyInput();
      this.channelInput ??= new ChannelInput(this.options.stdin);
      return this.channelInput.open();
    }
    return this.terminalInput.open();
  }

  private setForeground(job: Job | undefined): void {
    if (this.screen && this.foregroundJob) {
      // The job ended or stopped: keep what it did not read.
      this.leftover.lines += this.terminalInput.takeLeftover();
      this.leftover.partial += this.discipline?.takePartial() ?? '';
    }
    this.foregroundJob = job;
    this.discipline = undefined;
    if (!this.screen) return;
    this.terminalInput.activate(job?.input);
    if (!job) return;
    const { lines, partial } = this.leftover;
    this.leftover = { lines: '', partial: '' };
    if (lines) this.terminalInput.write(lines);
    this.disciplineFor(job).seed(partial);
    // Keys typed while nothing ran go through this job's line discipline.
    const pending = this.typeahead;
    this.typeahead = [];
    for (const chunk of pending) this.onInput(chunk);
  }

  private disciplineFor(job: Job): LineDiscipline {
    if (this.discipline && this.discipline.raw === job.rawInput) return this.discipline;
    const screen = this.screen!;
    const partial = this.discipline?.takePartial() ?? '';
    this.discipline = new LineDiscipline(
      job,
      this.terminalInput,
      {
        echo: (t) => screen.write(t),
        // A built-in blocked reading the terminal ends on ^C as on end of file.
        interrupted: () => {
          if (job.live === 0) this.terminalInput.end();
        },
      },
      job.rawInput,
    );
    this.discipline.seed(partial);
    return this.discipline;
  }

  private onInput(chunk: Buffer): void {
    const job = this.foregroundJob;
    if (job?.terminal) {
      job.terminal.write(chunk); // a real pty does the line discipline
      return;
    }
    if (job) {
      this.disciplineFor(job).feed(chunk);
      return;
    }
    if (!this.reading) {
      this.typeahead.push(chunk);
      return;
    }
    this.handleKeys(this.decoder.feed(chunk));
    // A lone ESC (the Escape key, not a sequence) must not hold back the keys after it.
    if (this.decoder.waiting) {
      clearTimeout(this.escapeTimer);
      this.escapeTimer = setTimeout(() => this.handleKeys(this.decoder.flushEscape()), 50);
    }
  }

  /** `echoed`: text typed ahead during a job, already on the screen. */
  private handleKeys(keys: Key[], echoed = false): void {
    for (const key of keys) {
      if (!this.reading) {
        // The line was submitted; the rest is type-ahead for the next reader. Text that
        // was echoed already must not be echoed again by the next job's discipline.
        const text = key.type === 'text' ? key.text : keyBytes(key.name);
        if (echoed) this.leftover.lines += text === '\r' ? '\n' : text;
        else this.typeahead.push(Buffer.from(text));
        continue;
      }
      this.onEditAction(this.reading.editor.handle(key));
    }
  }

  private onInputEnd(): void {
    if (this.inputEnded) return;
    this.inputEnded = true;
    this.terminalInput.close();
    if (this.reading) {
      const r = this.reading;
      this.reading = undefined;
      r.resolve(null);
    }
  }

  private promptText(): string {
    const home = this.interp.getVar('HOME');
    let cwd = this.interp.cwd;
    if (home && home !== '/' && (cwd === home || cwd.startsWith(`${home}/`))) cwd = `~${cwd.slice(home.length)}`;
    return `${this.options.services.hostname}:${cwd}# `;
  }

  private async readLine(): Promise<string | null> {
    // After the client's end of file, what it typed before still runs (as with a tty).
    const pendingInput = this.typeahead.length > 0 || this.leftover.lines !== '' || this.leftover.partial !== '';
    if (this.inputEnded && !pendingInput) return null;
    const screen = this.screen!;
    // PROMPT_SP: output that ended mid-line would be overwritten by the prompt.
    if ((await screen.cursorColumn()) !== 0) screen.write('\r\n');
    const marker = await screen.mark();
    return new Promise<string | null>((resolve) => {
      this.reading = { editor: new LineEditor(this.history.entries), prompt: this.promptText(), cursorRow: 0, marker, resolve };
      this.draw();
      // Lines typed ahead while the last job ran (already echoed), then raw keys.
      const { lines, partial } = this.leftover;
      this.leftover = { lines: '', partial: '' };
      if (lines || partial) this.handleKeys(new KeyDecoder().feed(lines + partial), true);
      const pending = this.typeahead;
      this.typeahead = [];
      for (const chunk of pending) this.onInput(chunk);
      if (this.reading && this.inputEnded) {
        // Type-ahead used up and no more input will come.
        this.finishLine();
        this.reading = undefined;
        resolve(null);
      }
    });
  }

  /** The prompt starts again at the cursor's row (after ^L, ^C or a completion listing). */
  private remark(r: Reading): void {
    r.marker?.dispose();
    this.screen!.mark().then(
      (m) => {
        r.marker = m;
      },
      (err: unknown) => this.internalError(err),
    );
  }

  /** A background job writes while the prompt is up: erase the line being edited first. */
  private hideLine(): void {
    const r = this.reading;
    if (!r || r.hidden) return;
    r.hidden = true;
    this.screen!.write(`${r.cursorRow > 0 ? `\x1b[${r.cursorRow}A` : ''}\r\x1b[J`);
    r.cursorRow = 0;
  }

  /** …and draw it again below the output once the output pauses. */
  private scheduleShowLine(): void {
    const r = this.reading;
    if (!r || !r.hidden || r.redrawTimer) return;
    r.redrawTimer = setTimeout(() => {
      r.redrawTimer = undefined;
      this.showLine(r).catch((err: unknown) => this.internalError(err));
    }, 20);
  }

  private async showLine(r: Reading): Promise<void> {
    const screen = this.screen!;
    if ((await screen.cursorColumn()) !== 0) screen.write('\r\n');
    if (this.reading !== r || !r.hidden) return;
    r.marker?.dispose();
    r.marker = await screen.mark();
    if (this.reading !== r || !r.hidden) return;
    r.hidden = false;
    this.draw(0);
  }

  private draw(fromRow?: number): void {
    const r = this.reading;
    if (!r || r.hidden) return;
    let prompt = r.prompt;
    let text = r.editor.text;
    let cursor = r.editor.cursor;
    if (r.editor.search) {
      ({ prompt, text } = r.editor.searchLine());
      cursor = Array.from(text).length;
    }
    const { out, layout } = redraw(prompt, text, cursor, this.size.cols, fromRow ?? r.cursorRow);
    r.cursorRow = layout.cursorRow;
    this.screen!.write(out);
  }

  /** Moves the cursor below the line being edited (before output or a new prompt). */
  private finishLine(suffix = ''): void {
    const r = this.reading!;
    const text = r.editor.search ? r.editor.searchLine().text : r.editor.text;
    const prompt = r.editor.search ? r.editor.searchLine().prompt : r.prompt;
    const { out } = redraw(prompt, text, Array.from(text).length, this.size.cols, r.cursorRow);
    this.screen!.write(`${out}${suffix}\r\n`);
    r.marker?.dispose();
  }

  private onEditAction(action: EditAction): void {
    const r = this.reading!;
    switch (action) {
      case 'redraw':
        this.draw();
        return;
      case 'submit': {
        this.finishLine();
        this.reading = undefined;
        r.resolve(r.editor.text);
        return;
      }
      case 'eof':
        this.finishLine();
        this.reading = undefined;
        r.resolve(null);
        return;
      case 'interrupt':
        this.finishLine('^C');
        r.editor = new LineEditor(this.history.entries);
        r.cursorRow = 0;
        this.interp.lastStatus = 130;
        this.remark(r);
        this.draw(0);
        return;
      case 'clear-screen':
        this.screen!.write('\x1b[H\x1b[2J');
        r.cursorRow = 0;
        this.remark(r);
        this.draw(0);
        return;
      case 'complete':
        this.complete().catch((err: unknown) => this.internalError(err));
        return;
      case 'bell':
        this.screen!.write('\x07');
        return;
      case 'none':
        return;
    }
  }

  private completionSources(before: string): Promise<CompletionSources> {
    return fileSystemSources(before, {
      fs: this.interp.fs,
      builtins: () => [...this.builtins.keys()],
      path: () => this.interp.getVar('PATH') ?? '',
      cwd: () => this.interp.cwd,
      home: () => this.interp.getVar('HOME'),
    });
  }

  private async complete(): Promise<void> {
    const r = this.reading!;
    const editor = r.editor;
    const secondTab = !editor.lastWasTab;
    const before = editor.beforeCursor;
    const text = editor.text;
    const after = text.slice(before.length);
    const sources = await this.completionSources(before);
    // Keys typed (or the line given up) while the directories were read win.
    if (this.reading !== r || r.editor !== editor || editor.text !== text || editor.beforeCursor !== before) return;
    const c = complete(before, sources);
    if (c.candidates.length === 0) {
      this.screen!.write('\x07');
      return;
    }
    let word = c.common;
    if (c.candidates.length === 1 && !word.endsWith('/')) word += ' ';
    if (word.length > c.word.length || c.candidates.length === 1) {
      const head = before.slice(0, c.start) + escapeWord(word.trimEnd()) + (word.endsWith(' ') ? ' ' : '');
      editor.setText(head + after, Array.from(head).length);
      editor.lastWasTab = false;
      this.draw();
      return;
    }
    if (!secondTab) {
      this.screen!.write('\x07');
      return;
    }
    // Second tab: list the candidates (their last path component) below, then redraw.
    this.finishLine();
    const shown = c.candidates.map((p) => {
      const trimmed = p.endsWith('/') ? p.slice(0, -1) : p;
      return trimmed.slice(trimmed.lastIndexOf('/') + 1) + (p.endsWith('/') ? '/' : '');
    });
    for (const line of columns(shown, this.size.cols)) this.screen!.write(`${line}\r\n`);
    r.cursorRow = 0;
    this.remark(r);
    this.draw(0);
  }

  /** Background jobs that ended since the last prompt, as `jobs` would show them. */
  private reportJobs(): void {
    for (const job of this.interp.takeFinished()) {
      const summary: JobSummary = { id: job.id, pids: job.pids, command: job.text, state: 'Done', mark: '+' };
      if (job.status) summary.status = job.status;
      this.screen?.write(`${jobLine(summary)}\r\n`);
    }
  }

  /** Reports a bug in the shell itself on the terminal and in the audit log; the session goes on. */
  private internalError(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.options.services.audit?.('error', { message: `shell: ${message}` });
    if (this.screen) this.screen.write(`\r\nsh: internal error: ${message}\r\n`);
    else this.err.write(`sh: internal error: ${message}\n`);
  }

  // ---- session events ---------------------------------------------------------------------

  resize(size: TerminalSize): void {
    // Updated in place: a running built-in (top) holds this object as ctx.terminal.
    this.size.cols = size.cols;
    this.size.rows = size.rows;
    const screen = this.screen;
    if (!screen) return;
    this.foregroundJob?.terminal?.resize(size.cols, size.rows);
    this.resizing = screen.resize(this.size).then(
      () => {
        const r = this.reading;
        if (!r) return;
        // The terminal reflowed the line; the model says where the cursor is now.
        this.draw(screen.rowsBelow(r.marker));
      },
      (err: unknown) => this.internalError(err),
    );
  }

  async snapshotScreen(): Promise<string> {
    if (!this.screen) return '';
    await this.resizing;
    return this.screen.snapshot();
  }

  foregroundCommand(): string | undefined {
    return this.foregroundJob?.text;
  }

  signal(name: string): void {
    const sig = (name.startsWith('SIG') ? name : `SIG${name}`) as NodeJS.Signals;
    this.foregroundJob?.kill(sig);
  }

  async close(graceMs?: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.escapeTimer);
    clearTimeout(this.reading?.redrawTimer);
    this.onInputEnd();
    await this.interp.close(graceMs);
    await this.history.flushed();
    this.screen?.dispose();
  }
}

/** Bytes for a decoded key, so type-ahead can be replayed after a submitted line. */
function keyBytes(name: string): string {
  const map: Record<string, string> = { enter: '\r', tab: '\t', backspace: '\x7f', up: '\x1b[A', down: '\x1b[B', right: '\x1b[C', left: '\x1b[D' };
  if (map[name]) return map[name]!;
  const m = /^ctrl-([a-z])$/.exec(name);
  return m ? String.fromCharCode(m[1]!.charCodeAt(0) - 96) : '';
}

/** Waits until everything written so far has been handed on (a zero-length write's callback). */
function flush(stream: Writable): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.resolve();
  return new Promise((resolve) => stream.write('', () => resolve()));
}
