// The client's terminal as the shell sees it with a pty: output gets ONLCR (\n → \r\n,
// termios(3)) since there is no kernel tty on the way, and everything written is also
// fed to an @xterm/headless model of the screen, so the shell knows where the cursor is
// (for PROMPT_SP and for redrawing the line after a resize reflowed it).
import * as headless from '@xterm/headless';
import type { IMarker, Terminal as XTerminal } from '@xterm/headless';
import * as serialize from '@xterm/addon-serialize';
import type { SerializeAddon as XSerializeAddon } from '@xterm/addon-serialize';
import { Writable } from 'node:stream';
import type { TerminalSize } from './types.js';

/** Bytes queued in the model beyond which output waits for it (xterm drops data past 50 MB). */
const MODEL_HIGH_WATER = 1 << 20;

// The package is CommonJS with __esModule set: bundlers expose Terminal as a named
// export, Node's ESM loader only on the default export.
const XTerm: typeof XTerminal =
  (headless as unknown as { Terminal?: typeof XTerminal }).Terminal ??
  (headless as unknown as { default: { Terminal: typeof XTerminal } }).default.Terminal;
const SerializeAddon: typeof XSerializeAddon =
  (serialize as unknown as { SerializeAddon?: typeof XSerializeAddon }).SerializeAddon ??
  (serialize as unknown as { default: { SerializeAddon: typeof XSerializeAddon } }).default.SerializeAddon;

/** Lines of history the model keeps above the screen (restored on reattach). */
export const DEFAULT_SCROLLBACK = 200;

export function onlcr(chunk: Buffer): Buffer {
  let count = 0;
  for (const b of chunk) if (b === 0x0a) count++;
  if (count === 0) return chunk;
  const out = Buffer.allocUnsafe(chunk.length + count);
  let j = 0;
  for (const b of chunk) {
    if (b === 0x0a) out[j++] = 0x0d;
    out[j++] = b;
  }
  return out;
}

export class TerminalScreen {
  readonly model: XTerminal;
  /** Output for commands: ONLCR, backpressure from the channel and the model. */
  readonly out: Writable;
  private pending = 0;
  private disposed = false;
  size: TerminalSize;
  /** Around command output: lets the line editor get out of the way of a background job. */
  beforeOutput: (() => void) | undefined;
  afterOutput: (() => void) | undefined;

  private readonly serializer = new SerializeAddon();

  constructor(
    private readonly channel: Writable,
    size: TerminalSize,
    scrollback = DEFAULT_SCROLLBACK,
  ) {
    this.size = { ...size };
    this.model = new XTerm({ cols: size.cols, rows: size.rows, allowProposedApi: true, scrollback, reflowCursorLine: true });
    this.model.loadAddon(this.serializer as unknown as Parameters<XTerminal['loadAddon']>[0]);
    this.out = new Writable({
      write: (chunk: Buffer, _enc, callback): void => {
        this.beforeOutput?.();
        this.send(onlcr(chunk), callback);
        this.afterOutput?.();
      },
    });
    this.out.on('error', () => undefined);
  }

  /** Bytes a program on a real pty drew (its pty did ONLCR): as they are, with backpressure. */
  passthrough(data: Buffer): Promise<void> {
    return new Promise((resolve) => this.send(data, () => resolve()));
  }

  /** Writes bytes that already carry \r\n (the shell's own drawing). */
  write(text: string): void {
    this.send(Buffer.from(text, 'utf8'));
  }

  private send(data: Buffer, callback?: (err?: Error | null) => void): void {
    if (this.channel.destroyed || this.channel.writableEnded) {
      callback?.(new Error('EPIPE: the terminal went away'));
      return;
    }
    if (this.disposed) {
      this.channel.write(data);
      callback?.();
      return;
    }
    this.pending += data.length;
    let waitModel = false;
    this.model.write(data, () => {
      this.pending -= data.length;
      if (waitModel) callback?.();
    });
    const ok = this.channel.write(data);
    if (!callback) return;
    if (this.pending > MODEL_HIGH_WATER) {
      waitModel = true;
      return;
    }
    if (ok) callback();
    else this.channel.once('drain', () => callback());
  }

  /** Resolves once the model has parsed everything written so far. */
  settled(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    return new Promise((resolve) => this.model.write('', () => resolve()));
  }

  /**
   * The screen (scrollback, modes, alternate buffer, cursor) as bytes that redraw it on
   * a fresh terminal. Serialized inside the model's callback, so it is exactly the state
   * after everything written before the call and nothing written after it.
   */
  snapshot(): Promise<string> {
    if (this.disposed) return Promise.resolve('');
    return new Promise((resolve) => this.model.write('', () => resolve(this.serializer.serialize())));
  }

  async cursorColumn(): Promise<number> {
    await this.settled();
    return this.disposed ? 0 : this.model.buffer.active.cursorX;
  }

  /** Marks the cursor's line (e.g. where a prompt starts); follows reflow. */
  async mark(): Promise<IMarker | undefined> {
    await this.settled();
    return this.disposed ? undefined : this.model.registerMarker(0);
  }

  /** Rows between a marked line and the cursor, after reflow. */
  rowsBelow(marker: IMarker | undefined): number {
    if (!marker || marker.isDisposed || marker.line < 0) return 0;
    const buf = this.model.buffer.active;
    return Math.max(0, buf.baseY + buf.cursorY - marker.line);
  }

  async resize(size: TerminalSize): Promise<void> {
    await this.settled();
    this.size = { ...size };
    if (this.disposed) return;
    this.model.resize(Math.max(1, size.cols), Math.max(1, size.rows));
  }

  dispose(): void {
    this.disposed = true;
    this.model.dispose();
  }
}
