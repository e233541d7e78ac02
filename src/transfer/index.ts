// Public surface of file transfer (owned by the transfer work). breakglassd calls these.
import type { Readable, Writable } from 'node:stream';
import type { ToolboxHandle } from '../shell/types.js';

export interface ToolboxOptions {
  dir: string;
  quotaBytes: number;
  audit?: (event: string, fields: Record<string, unknown>) => void;
}

/** The toolbox: a directory on PATH that tarballs are unpacked into. */
export interface Toolbox extends ToolboxHandle {
  /** Called by SFTP/scp when an uploaded file at the top of the dir is closed. */
  onUploadClosed(path: string): Promise<void>;
  /** True when the dir is on tmpfs (statfs); false means tools would survive on flash. */
  isTmpfs(): Promise<boolean>;
}

export function createToolbox(_options: ToolboxOptions): Promise<Toolbox> {
  throw new Error('transfer: not implemented yet');
}

export interface TransferContext {
  toolbox: Toolbox;
  audit?: (event: string, fields: Record<string, unknown>) => void;
}

/**
 * Serves one SFTP subsystem channel. `sftp` is ssh2's SFTP server stream (the object
 * ssh2 hands to `subsystem sftp` accept()). Resolves when the channel closes.
 */
export function serveSftp(_sftp: unknown, _ctx: TransferContext): Promise<void> {
  throw new Error('transfer: not implemented yet');
}

/** True when an exec command line is the legacy scp protocol (`scp -t …` / `scp -f …`). */
export function isScpCommand(_line: string): boolean {
  return false;
}

/** Runs legacy scp over the exec channel's streams; resolves with the exit status. */
export function runScp(_line: string, _io: { stdin: Readable; stdout: Writable; stderr: Writable }, _ctx: TransferContext): Promise<number> {
  throw new Error('transfer: not implemented yet');
}
