// Entry of legacy scp on an exec channel: parse the command, run the sink or source
// driver, and turn a broken connection into exit status 1.
import { isAbsolute, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { messageOf } from '../../common/index.js';
import { write } from '../../os/index.js';
import { nodeScpFs } from './fs-adapter.js';
import { parseScpCommand, splitWords } from './protocol.js';
import { ByteReader } from './reader.js';
import { ScpSink } from './sink.js';
import { ScpSource } from './source.js';
import type { ScpDeps } from './types.js';

/** `scp … -t …` or `scp … -f …`: the legacy protocol rather than a shell command. */
export function isScpCommand(line: string): boolean {
  const words = splitWords(line.trim());
  if (!words || words[0] !== 'scp') return false;
  return words.slice(1).some((w) => /^-[a-z]*[tf][a-z]*$/.test(w));
}

export interface ScpIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

export async function runScpCommand(line: string, io: ScpIo, deps: Omit<ScpDeps, 'fs'> & Partial<Pick<ScpDeps, 'fs'>>): Promise<number> {
  const cmd = parseScpCommand(line);
  if (!cmd) {
    await write(io.stderr, 'scp: unsupported command line; breakglassd speaks scp -t/-f [-r] [-p] [-d] PATH\n').catch(() => undefined);
    return 1;
  }
  const full: ScpDeps = { fs: nodeScpFs, ...deps };
  // Relative paths are relative to the toolbox dir, the scp/SFTP starting dir.
  const abs = (p: string): string => (isAbsolute(p) ? resolve(p) : resolve(deps.toolbox.dir, p));
  const reader = new ByteReader(io.stdin);
  try {
    if (cmd.mode === 'sink') return await new ScpSink(cmd, reader, io.stdout, full).run(abs(cmd.paths[0]!));
    return await new ScpSource(cmd, reader, io.stdout, full).run(cmd.paths.map(abs));
  } catch (err) {
    deps.audit?.('scp-error', { command: line, error: messageOf(err) });
    return 1;
  }
}
