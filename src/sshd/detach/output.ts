// Where a detachable session's terminal output goes: the SSH channel it is attached to,
// or nowhere while it is detached (the shell's screen model has kept everything that
// matters). Unlike ChannelWriter, losing the channel is not an error for the writer:
// the shell and its jobs must keep running, so a pending write completes instead of
// failing with EPIPE. While an attach is being prepared, output is held and handed to
// the new channel right after the screen snapshot, so nothing is lost or drawn twice.
import { Writable } from 'node:stream';

/** Held output beyond this is dropped: an attach takes milliseconds, a flood is not worth the memory. */
const MAX_HELD_BYTES = 4 << 20;

export class SwitchableOutput extends Writable {
  private target: Writable | undefined;
  private held: Buffer[] | undefined;
  private heldBytes = 0;
  private pendingCallback: ((err?: Error | null) => void) | undefined;
  private readonly onDrain = (): void => this.release();
  /** Sees every byte the shell draws, attached or not (recording, idle time). */
  tap: ((chunk: Buffer) => void) | undefined;

  constructor() {
    super({ highWaterMark: 64 * 1024 });
    this.on('error', () => undefined);
  }

  get attached(): boolean {
    return this.target !== undefined;
  }

  /** From now until attach(): keep output instead of dropping it. */
  hold(): void {
    this.held ??= [];
  }

  /** Sends `preamble` (the restored screen), then what was held, then everything after. */
  attach(target: Writable, preamble = ''): void {
    this.detach();
    this.target = target;
    if (preamble) target.write(preamble);
    for (const chunk of this.held ?? []) target.write(chunk);
    this.held = undefined;
    this.heldBytes = 0;
  }

  /** The channel is gone: writes complete at once and are dropped. */
  detach(): void {
    this.target?.off('drain', this.onDrain);
    this.target = undefined;
    this.release();
  }

  private release(): void {
    const cb = this.pendingCallback;
    this.pendingCallback = undefined;
    cb?.();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.tap?.(chunk);
    if (this.held) {
      if (this.heldBytes + chunk.length <= MAX_HELD_BYTES) {
        this.held.push(chunk);
        this.heldBytes += chunk.length;
      }
      return callback();
    }
    const target = this.target;
    if (!target || target.destroyed || target.writableEnded) return callback();
    if (target.write(chunk)) return callback();
    this.pendingCallback = callback;
    target.once('drain', this.onDrain);
  }

  override _final(callback: (err?: Error | null) => void): void {
    callback();
  }
}
