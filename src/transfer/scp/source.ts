// `scp -f PATH…`: we send (OpenSSH scp.c source()/rsource()). Each record waits for
// the sink's answer; file data streams in 256 KiB reads with backpressure.
import type { FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Writable } from 'node:stream';
import { errnoMessage, write } from '../../os/index.js';
import type { ScpStat } from './fs-adapter.js';
import { END_DIR, formatDir, formatError, formatFile, formatTimes } from './protocol.js';
import type { ScpCommand } from './protocol.js';
import type { ByteReader } from './reader.js';
import type { ScpDeps } from './types.js';

const READ_CHUNK = 256 * 1024;

/** The sink refused a record; `fatal` ends the whole transfer. */
class Refused extends Error {
  constructor(readonly fatal: boolean) {
    super('refused by the receiver');
  }
}

export class ScpSource {
  errors = 0;

  constructor(
    private readonly cmd: ScpCommand,
    private readonly reader: ByteReader,
    private readonly out: Writable,
    private readonly deps: ScpDeps,
  ) {}

  private send(data: string | Buffer): Promise<void> {
    return write(this.out, data);
  }

  private async fail(message: string): Promise<void> {
    this.errors++;
    await this.send(formatError(message));
  }

  /** Sends a record and waits for the sink's \0. */
  private async exchange(record: string): Promise<void> {
    await this.send(record);
    const answer = await this.reader.response();
    if (!answer.ok) throw new Refused(answer.fatal);
  }

  async run(paths: string[]): Promise<number> {
    // The sink speaks first: one \0 when it is ready.
    const ready = await this.reader.response();
    if (!ready.ok) return 1;
    for (const path of paths) {
      try {
        await this.sendPath(path, basename(path));
      } catch (err) {
        if (err instanceof Refused) {
          this.errors++;
          if (err.fatal) break;
          continue;
        }
        throw err;
      }
    }
    return this.errors ? 1 : 0;
  }

  private async sendPath(path: string, name: string): Promise<void> {
    let st: ScpStat | null;
    try {
      st = await this.deps.fs.stat(path);
    } catch (err) {
      return this.fail(`${path}: ${errnoMessage(err)}`);
    }
    if (!st) return this.fail(`${path}: No such file or directory`);
    if (st.kind === 'dir') {
      if (!this.cmd.recursive) return this.fail(`${path}: not a regular file`);
      return this.sendDir(path, name, st);
    }
    if (st.kind !== 'file') return this.fail(`${path}: not a regular file`);
    return this.sendFile(path, name, st);
  }

  private async sendDir(path: string, name: string, st: ScpStat): Promise<void> {
    let names: string[];
    try {
      names = (await this.deps.fs.readdir(path)).sort();
    } catch (err) {
      return this.fail(`${path}: ${errnoMessage(err)}`);
    }
    if (this.cmd.preserve) await this.exchange(formatTimes(st.mtime, st.atime));
    await this.exchange(formatDir(st.mode, name));
    for (const child of names) {
      try {
        await this.sendPath(join(path, child), child);
      } catch (err) {
        if (!(err instanceof Refused) || err.fatal) throw err;
        this.errors++;
      }
    }
    await this.exchange(END_DIR);
  }

  private async sendFile(path: string, name: string, st: ScpStat): Promise<void> {
    let handle: FileHandle;
    try {
      handle = await this.deps.fs.openRead(path);
    } catch (err) {
      return this.fail(`${path}: ${errnoMessage(err)}`);
    }
    try {
      if (this.cmd.preserve) await this.exchange(formatTimes(st.mtime, st.atime));
      await this.exchange(formatFile(st.mode, st.size, name));
      const readError = await this.streamData(handle, st.size);
      // After the data: our status byte, then the sink's answer.
      await this.send(readError === undefined ? Buffer.from([0]) : formatError(`${path}: ${errnoMessage(readError)}`));
      if (readError !== undefined) this.errors++;
      const answer = await this.reader.response();
      if (!answer.ok) throw new Refused(answer.fatal);
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  /** Sends exactly `size` bytes; after a read error (or a file that shrank) pads with zeros, as scp does. */
  private async streamData(handle: FileHandle, size: number): Promise<unknown> {
    let sent = 0;
    let readError: unknown;
    while (sent < size) {
      const want = Math.min(READ_CHUNK, size - sent);
      const buf = Buffer.alloc(want);
      if (readError === undefined) {
        try {
          const { bytesRead } = await handle.read(buf, 0, want, sent);
          if (bytesRead === 0) readError = Object.assign(new Error('file shrank while sending'), { code: 'EIO' });
          else if (bytesRead < want) {
            await this.send(buf.subarray(0, bytesRead));
            sent += bytesRead;
            continue;
          }
        } catch (err) {
          readError = err;
        }
      }
      await this.send(buf);
      sent += want;
    }
    return readError;
  }
}
