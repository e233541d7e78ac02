// The toolbox and transfer context as SFTP, scp and breakglassd see them.
import type { Readable } from 'node:stream';
import type { ToolboxHandle } from '../shell/index.js';
import type { AddOptions, Manifest } from './toolbox/index.js';

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

export interface TransferContext {
  toolbox: Toolbox;
  audit?: (event: string, fields: Record<string, unknown>) => void;
}
