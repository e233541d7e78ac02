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
import type { ScpFs } from './fs-adapter.js';
import { ScpProtocolError, formatError, parseRecord } from './protocol.js';
import type { ScpCommand } from './protocol.js';
import type { ByteReader } from './reader.js';
import type { ScpDeps } from './types.js';

const OK = Buffer.from([0]);
let tempCounter = 0;

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

  private async receiveFile(path: string, mode: number, size: number, times: { mtime: number; atime: number } | undefined): Promise<void> {
    const upload = this.deps.toolbox.uploadPath(path);
    let handle: FileHandle;
    let temp: string;
    let keepMode: number | undefined;
    try {
      const st = upload ? null : await this.fs.stat(path);
      if (st?.kind === 'dir') return this.fail(`${path}: Is a directory`);
      if (st && st.kind !== 'file') {
        // A device or FIFO (e.g. /dev/null): write to it directly, as scp does.
        temp = path;
      } else {
        temp = upload ?? join(dirname(path), `.${basename(path)}.scp-${process.pid}-${++tempCounter}`);
        if (st) keepMode = st.mode;
      }
      handle = await this.fs.openWrite(temp, upload ? 0o600 : mode & 0o777);
    } catch (err) {
      return this.fail(`${path}: ${errnoMessage(err)}`);
    }
    const direct = temp === path;
    const discard = (): Promise<void> => (direct ? Promise.resolve() : rm(temp, { force: true }));
    await this.send(OK);

    let writeError: unknown;
    try {
      await this.copyData(handle, size).catch((err: unknown) => {
        writeError = err;
      });
      if (!writeError) {
        if (this.cmd.preserve) await handle.chmod(mode);
        else if (keepMode !== undefined) await handle.chmod(keepMode);
        if (this.cmd.preserve && times) await handle.utimes(times.atime, times.mtime);
      }
    } catch (err) {
      writeError ??= err;
    } finally {
      await handle.close().catch(() => undefined);
    }
    if (writeError && !(writeError instanceof WriteFailed)) {
      await discard();
      throw writeError; // the connection broke: nothing more to say
    }
    // After the data the source sends its own status byte.
    const sourceStatus = await this.reader.response().catch(async (err: unknown) => {
      await discard();
      throw err;
    });
    if (!sourceStatus.ok || writeError) {
      await discard();
      if (writeError) return this.fail(`${path}: ${errnoMessage((writeError as WriteFailed).cause)}`);
      this.errors++;
      return;
    }
    if (upload) return this.install(upload, path, size);
    if (!direct) {
      try {
        await rename(temp, path);
      } catch (err) {
        await discard();
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
