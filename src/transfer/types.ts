// The transfer context as SFTP, scp and breakglassd see them.
import type { Toolbox } from './toolbox/index.js';

export type { Toolbox, ToolboxOptions } from './toolbox/index.js';

export interface TransferContext {
  toolbox: Toolbox;
  audit?: (event: string, fields: Record<string, unknown>) => void;
}
