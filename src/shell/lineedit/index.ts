// Public surface of interactive input: keys, the edited line, drawing, history, completion.
export { complete, escapeWord } from './complete.js';
export type { CompletionSources } from './complete.js';
export { LineEditor } from './editor.js';
export type { EditAction } from './editor.js';
export { History } from './history.js';
export { KeyDecoder } from './keys.js';
export type { Key } from './keys.js';
export { columns, redraw } from './render.js';
export { charWidth, stringWidth } from './width.js';
export { fileSystemSources } from './sources.js';
