// `scp -t TARGET`: we receive (OpenSSH scp.c sink()). Files are written to a temp
// name beside the target and renamed into place, so a cut transfer leaves no partial
// file and a running binary is replaced rather than truncated ("text file busy").
// An archive arriving at the top of the toolbox goes to the toolbox instead.
import type { FileHandle } from 'node:fs/promises';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { messageOf } from '../../common/index.js';
import { errnoMessage, write } from '../../os/index.js';
import { writeChunks } from '../file-write.js';
import { noteUploadBytes } from '../young-gc.js';
import type { ScpFs } from './fs-adapter.js';
import { ScpProtocolError, formatError, parseRecord } from './protocol.js';
import type { ScpCommand } from './protocol.js';
import type { ByteReader } from './reader.js';
import type { ScpDeps } from './types.js';

const OK = Buffer.from([0]);
let tempCounter = 0;

type Times = { mtime: number; atime: number };

/** Where one incoming file is being written. */
interface FileTarget {
  handle: FileHandle;
  /** The path written: a temp name, an upload path, or the target itself (direct). */
  temp: string;
  /** Written straight to the target (a device or FIFO): nothing to rename or remove. */
  direct: boolean;
  /** A toolbox archive upload path. */
  upload: string | undefined;
  /** The existing file's mode, kept when not preserving. */
  keepMode: number | undefined;
}

/** Removes a temp file that will not be renamed into place. */
function discard(target: FileTarget): Promise<void> {
  return target.direct ? Promise.resolve() : rm(target.temp, { force: true });
}

export class ScpSink {
  errors = 0;
  private readonly fs: ScpFs;

  constructor(
    private readonly cmd: ScpCommand,
    private readonly reader: ByteReader,
    private readonly out: Writable,
    private readonly deps: ScpDeps,
  ) {
    this.fs = deps.fs;
  }

  private send(data: string | Buffer): Promise<void> {
    return write(this.out, data);
  }

  private async fail(message: string): Promise<void> {
    this.errors++;
    await this.send(formatError(message));
  }

  async run(target: string): Promise<number> {
    const st = await this.fs.stat(target);
    const targetIsDir = st?.kind === 'dir';
    // As scp.c's verifydir(): the answer to the opening handshake is the error.
    if (this.cmd.targetIsDir && !targetIsDir) {
      await this.send(formatError(`${target}: ${st ? 'Not a directory' : 'No such file or directory'}`));
      return 1;
    }
    await this.send(OK);
    await this.receive(target, targetIsDir, 0);
    return this.errors ? 1 : 0;
  }

  /** Reads records until E (inside a directory) or the end of the stream. */
  private async receive(dir: string, dirIsTarget: boolean, depth: number): Promise<void> {
    let times: { mtime: number; atime: number } | undefined;
    for (;;) {
      const line = await this.reader.line();
      if (line === null) return;
      let record;
      try {
        record = parseRecord(line);
      } catch (err) {
        if (err instanceof ScpProtocolError) await this.send(`\x02scp: ${err.message}\n`);
        throw err;
      }
      switch (record.type) {
        case 'error':
          // The source could not read something; it told its user. Fatal ends it.
          this.errors++;
          if (record.fatal) return;
          continue;
        case 'times':
          times = record;
          await this.send(OK);
          continue;
        case 'end':
          if (depth === 0) throw new ScpProtocolError('end of directory outside any directory');
          await this.send(OK);
          return;
        case 'dir': {
          const path = dirIsTarget ? join(dir, record.name) : dir;
          await this.receiveDir(path, record.mode, times, depth);
          times = undefined;
          continue;
        }
        case 'file': {
          const path = dirIsTarget ? join(dir, record.name) : dir;
          await this.receiveFile(path, record.mode, record.size, times);
          times = undefined;
          continue;
        }
      }
    }
  }

  private async receiveDir(path: string, mode: number, times: { mtime: number; atime: number } | undefined, depth: number): Promise<void> {
    if (!this.cmd.recursive) {
      await this.send('\x02scp: received a directory without -r\n');
      throw new ScpProtocolError('received a directory without -r');
    }
    try {
      const st = await this.fs.stat(path);
      if (st && st.kind !== 'dir') return this.fail(`${path}: Not a directory`);
      if (!st) await this.fs.mkdir(path, mode | 0o700);
      else if (this.cmd.preserve) await this.fs.chmod(path, mode);
    } catch (err) {
      return this.fail(`${path}: ${errnoMessage(err)}`);
    }
    await this.send(OK);
    await this.receive(path, true, depth + 1);
    try {
      if (this.cmd.preserve && times) await this.fs.utimes(path, times.atime, times.mtime);
      await this.fs.chmod(path, this.cmd.preserve ? mode : (mode | 0o700) & 0o777);
    } catch (err) {
      await this.fail(`${path}: ${errnoMessage(err)}`);
    }
  }

  private async receiveFile(path: string, mode: number, size: number, times: Times | undefined): Promise<void> {
    const target = await this.openTarget(path, mode);
    if (!target) return;
    await this.send(OK);
    const writeError = await this.writeBody(target, mode, size, times);
    if (writeError && !(writeError instanceof WriteFailed)) {
      await discard(target);
      throw writeError; // the connection broke: nothing more to say
    }
    // After the data the source sends its own status byte.
    const sourceStatus = await this.reader.response().catch(async (err: unknown) => {
      await discard(target);
      throw err;
    });
    if (!sourceStatus.ok || writeError) {
      await discard(target);
      if (writeError) return this.fail(`${path}: ${errnoMessage((writeError as WriteFailed).cause)}`);
      this.errors++;
      return;
    }
    await this.commitFile(target, path, size);
  }

  /**
   * Opens where the file's bytes go: a toolbox upload path, a temp name beside the
   * target, or the target itself when it is a device or FIFO. Undefined: refused (reported).
   */
  private async openTarget(path: string, mode: number): Promise<FileTarget | undefined> {
    const upload = this.deps.toolbox.uploadPath(path);
    try {
      const st = upload ? null : await this.fs.stat(path);
      if (st?.kind === 'dir') {
        await this.fail(`${path}: Is a directory`);
        return undefined;
      }
      let temp: string;
      let keepMode: number | undefined;
      if (st && st.kind !== 'file') {
        // A device or FIFO (e.g. /dev/null): write to it directly, as scp does.
        temp = path;
      } else {
        temp = upload ?? join(dirname(path), `.${basename(path)}.scp-${process.pid}-${++tempCounter}`);
        if (st) keepMode = st.mode;
      }
      const handle = await this.fs.openWrite(temp, upload ? 0o600 : mode & 0o777);
      return { handle, temp, direct: temp === path, upload, keepMode };
    } catch (err) {
      await this.fail(`${path}: ${errnoMessage(err)}`);
      return undefined;
    }
  }

  /** Copies the data and sets mode and times; closes the handle. Returns what went wrong, if anything. */
  private async writeBody(target: FileTarget, mode: number, size: number, times: Times | undefined): Promise<unknown> {
    const { handle } = target;
    let writeError: unknown;
    try {
      await this.copyData(handle, size).catch((err: unknown) => {
        writeError = err;
      });
      if (!writeError) {
        if (this.cmd.preserve) await handle.chmod(mode);
        else if (target.keepMode !== undefined) await handle.chmod(target.keepMode);
        if (this.cmd.preserve && times) await handle.utimes(times.atime, times.mtime);
      }
    } catch (err) {
      writeError ??= err;
    } finally {
      await handle.close().catch(() => undefined);
    }
    return writeError;
  }

  /** Puts a complete file in place: into the toolbox, or renamed over the target. */
  private async commitFile(target: FileTarget, path: string, size: number): Promise<void> {
    if (target.upload) return this.install(target.upload, path, size);
    if (!target.direct) {
      try {
        await rename(target.temp, path);
      } catch (err) {
        await discard(target);
        return this.fail(`${path}: ${errnoMessage(err)}`);
      }
    }
    this.deps.audit?.('scp-upload', { path, bytes: size });
    await this.send(OK);
  }

  /** Writes exactly `size` bytes from the stream; on a write error reads the rest anyway. */
  private async copyData(handle: FileHandle, size: number): Promise<void> {
    const data = this.reader.exactly(size);
    let consumed = 0;
    const counted = (async function* () {
      for await (const chunk of data) {
        consumed += chunk.length;
        noteUploadBytes(chunk.length);
        yield chunk;
      }
    })();
    try {
      await writeChunks(handle, counted);
    } catch (err) {
      if ((err as Error).name === 'ScpEof') throw err;
      // Stay in step with the sender: swallow the rest of this file's bytes.
      for await (const chunk of this.reader.exactly(size - consumed)) void chunk;
      throw new WriteFailed(err);
    }
  }

  private async install(upload: string, path: string, size: number): Promise<void> {
    this.deps.audit?.('scp-upload', { path, bytes: size });
    try {
      await this.deps.toolbox.installUpload(upload, basename(path));
    } catch (err) {
      return this.fail(`toolbox: ${messageOf(err)}`);
    }
    await this.send(OK);
  }
}

class WriteFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('write failed');
  }
}
