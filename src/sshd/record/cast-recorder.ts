// One interactive session as an asciicast v2 stream, written through an injected sink
// (the file adapter is record-dir.ts). Output (and, with --record-input, input) is
// decoded as UTF-8 per direction, so a character split across chunks stays whole. Past
// maxBytes the recording stops with a marker event: the file stays valid and playable.
import { StringDecoder } from 'node:string_decoder';
import type { TerminalSize } from '../../shell/index.js';
import type { SessionRecorder } from '../detach/index.js';
import { castEventLine, castHeaderLine } from './asciicast.js';

export interface CastSink {
  write(text: string): void;
  close(): Promise<void>;
}

export interface CastRecorderOptions {
  sink: CastSink;
  size: TerminalSize;
  term: string;
  title: string;
  maxBytes: number;
  recordInput: boolean;
  now?: () => number;
  /** Once, when the recording is closed. */
  onClose?: (info: { bytes: number; truncated: boolean }) => void;
}

export class CastRecorder implements SessionRecorder {
  private readonly now: () => number;
  private readonly started: number;
  private readonly out = new StringDecoder('utf8');
  private readonly in = new StringDecoder('utf8');
  private bytes = 0;
  private stopped = false;
  private truncated = false;
  private closing: Promise<void> | undefined;
  private readonly markerText: string;
  /** The marker line's length with the widest time stamp: below it, no exact check is needed. */
  private readonly markerMaxBytes: number;

  constructor(private readonly options: CastRecorderOptions) {
    this.now = options.now ?? Date.now;
    this.started = this.now();
    const { cols, rows } = options.size;
    this.put(castHeaderLine({ version: 2, width: cols, height: rows, timestamp: Math.floor(this.started / 1000), title: options.title, env: { TERM: options.term } }));
    this.markerText = `recording stopped: ${options.maxBytes} bytes reached (breakglassd --record-max-size)`;
    // 0 prints as one character; a time stamp takes at most 24 (seconds and 6 decimals).
    this.markerMaxBytes = Buffer.byteLength(castEventLine(0, 'm', this.markerText)) + 23;
  }

  get size(): number {
    return this.bytes;
  }

  output(chunk: Buffer): void {
    this.event('o', this.out.write(chunk));
  }

  input(chunk: Buffer): void {
    if (this.options.recordInput) this.event('i', this.in.write(chunk));
  }

  resize(size: TerminalSize): void {
    this.event('r', `${size.cols}x${size.rows}`);
  }

  /** The sink failed (disk full …): nothing more is written; the session goes on. */
  stop(): void {
    this.stopped = true;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.event('o', this.out.end());
      this.stopped = true;
      await this.options.sink.close();
      this.options.onClose?.({ bytes: this.bytes, truncated: this.truncated });
    })();
    return this.closing;
  }

  private event(code: 'o' | 'i' | 'r', data: string): void {
    if (this.stopped || data === '') return;
    const seconds = (this.now() - this.started) / 1000;
    const line = castEventLine(seconds, code, data);
    const lineBytes = Buffer.byteLength(line);
    // Every pty chunk passes here: build the marker only when the cap is near.
    if (this.bytes + lineBytes + this.markerMaxBytes > this.options.maxBytes) {
      const marker = castEventLine(seconds, 'm', this.markerText);
      if (this.bytes + lineBytes + Buffer.byteLength(marker) > this.options.maxBytes) {
        this.put(marker);
        this.truncated = true;
        this.stopped = true;
        return;
      }
    }
    this.put(line, lineBytes);
  }

  private put(text: string, bytes = Buffer.byteLength(text)): void {
    this.bytes += bytes;
    this.options.sink.write(text);
  }
}
