// Public surface of file transfer: SFTP, legacy scp and the toolbox. breakglassd calls these.
import type { Readable, Writable } from 'node:stream';
import type { TransferContext } from './types.js';
import { serveSftp as serveSftpImpl } from './sftp/index.js';
import { isScpCommand as isScpLine, runScpCommand } from './scp/index.js';

export type { AddOptions, Manifest } from './toolbox/index.js';
export type { Toolbox, ToolboxOptions, TransferContext } from './types.js';
// createToolbox creates the dir when missing (and a staging dir beside it); breakglassd calls it at startup.
export { ToolboxError, createToolbox } from './toolbox/index.js';

/**
 * Serves one SFTP subsystem channel. `sftp` is ssh2's SFTP server stream (the object
 * ssh2 hands to `subsystem sftp` accept()). Resolves when the channel closes.
 */
export function serveSftp(sftp: unknown, ctx: TransferContext): Promise<void> {
  return serveSftpImpl(sftp, ctx);
}

/** True when an exec command line is the legacy scp protocol (`scp -t …` / `scp -f …`). */
export function isScpCommand(line: string): boolean {
  return isScpLine(line);
}

/** Runs legacy scp over the exec channel's streams; resolves with the exit status. */
export function runScp(line: string, io: { stdin: Readable; stdout: Writable; stderr: Writable }, ctx: TransferContext): Promise<number> {
  return runScpCommand(line, io, { toolbox: ctx.toolbox, ...(ctx.audit ? { audit: ctx.audit } : {}) });
}
