// Public surface of src/transfer/toolbox: the toolbox directory (extract, quota, applets).
export { createToolbox } from './toolbox.js';
export type { AddOptions, Manifest, Toolbox, ToolboxOptions } from './toolbox.js';
export { ToolboxError } from './errors.js';
