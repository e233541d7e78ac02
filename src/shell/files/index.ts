// Public surface of the shell's file-system seam (see file-system.ts).
export { allOnPath, isExecutableFile } from './executables.js';
export { nodeFileSystem } from './node.js';
export { openFileReadable, openFileWritable, writeToOpenFile } from './streams.js';
export type { FileSystem, OpenFile, OpenFlags, Time } from './file-system.js';
