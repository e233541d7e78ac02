// Public surface of file transfer (owned by the transfer work). breakglassd calls these.
import type { Readable, Writable } from 'node:stream';
import type { ToolboxHandle } from '../shell/types.js';
import { createToolbox as createToolboxImpl } from './toolbox/toolbox.js';
import type { AddOptions, Manifest } from './toolbox/toolbox.js';
import { serveSftp as serveSftpImpl } from './sftp/server.js';
import { isScpCommand as isScpLine, runScpCommand } from './scp/run.js';

export type { Manifest, AddOptions };
export { ToolboxError } from './toolbox/errors.js';

export interface ToolboxOptions {
  dir: string;
  quotaBytes: number;
  audit?: (event: string, fields: Record<string, unknown>) => void;
}

/** The toolbox: a directory on PATH that tarballs are unpacked into. */
export interface Toolbox extends ToolboxHandle {
  readonly quotaBytes: number;
  /** As ToolboxHandle.add; the manifest also counts busybox applet links. An abort signal cancels it. */
  add(input: Readable, label: string, options?: AddOptions): Promise<Manifest>;
  /** Called by SFTP/scp when an uploaded file at the top of the dir is closed. */
  onUploadClosed(path: string): Promise<void>;
  /** True when the dir is on tmpfs (statfs); false means tools would survive on flash. */
  isTmpfs(): Promise<boolean>;
  /** SFTP/scp write an archive upload here instead of into the toolbox (undefined: not an archive). */
  uploadPath(path: string): string | undefined;
  /** Extracts a finished upload written to an uploadPath(), then deletes it. */
  installUpload(tempPath: string, label: string): Promise<Manifest>;
  /** Deletes an upload that was cut short. */
  discardUpload(tempPath: string): Promise<void>;
  /** Removes the staging dir (breakglassd stopping); the toolbox itself stays. */
  close(): Promise<void>;
}

/** Creates the dir when missing (and a staging dir beside it); breakglassd calls this at startup. */
export function createToolbox(options: ToolboxOptions): Promise<Toolbox> {
  return createToolboxImpl(options);
}

export interface TransferContext {
  toolbox: Toolbox;
  audit?: (event: string, fields: Record<string, unknown>) => void;
}

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
