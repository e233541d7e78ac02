// The upload progress bar on stderr (only when stderr is a terminal): one line redrawn
// with \r, e.g. `uploading debug-arm64.tar [#######------------]  35%  1.2M/3.4M`.
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { formatSize } from '../common/index.js';

export function renderProgress(label: string, done: number, total: number, width = 24): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(fraction * width);
  const percent = String(Math.floor(fraction * 100)).padStart(3);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}%  ${formatSize(done)}/${formatSize(total)}`;
}

/** Passes bytes through and redraws the bar at most every `intervalMs`. */
export class ProgressMeter extends Transform {
  private done = 0;
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly draw: ((line: string) => void) | undefined,
    private readonly intervalMs = 100,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.done += chunk.length;
    const now = Date.now();
    if (this.draw && now - this.lastDraw >= this.intervalMs) {
      this.lastDraw = now;
      this.draw(`\r${renderProgress(this.label, this.done, this.total)}`);
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.draw?.(`\r${renderProgress(this.label, this.done, this.total)}\n`);
    callback();
  }
}
