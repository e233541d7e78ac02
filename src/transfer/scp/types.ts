import type { Toolbox } from '../types.js';
import type { ScpFs } from './fs-adapter.js';

export interface ScpDeps {
  fs: ScpFs;
  toolbox: Pick<Toolbox, 'dir' | 'uploadPath' | 'installUpload'>;
  audit?: (event: string, fields: Record<string, unknown>) => void;
}
