// Public surface of src/shell/builtins/fs: the pieces the file built-ins share (definition
// helpers, input and walking, find/grep/glob matching, dumps, ls entries).
export { bareColour, fileBuiltin, parseCount, reportPath } from './define.js';
export { Aborted, UsageProblem, throwIfAborted } from './guard.js';
export { CHUNK_SIZE, LineTooLong, MAX_LINE, closeStdin, handleChunks, isStdin, lineBatches, operandChunks, streamChunks } from './input.js';
export { copyPath, planTargets } from './copy.js';
export { humanSize, statTime } from './format.js';
export { statMany, walk } from './walk.js';
export { FindSyntaxError, parseFindExpression } from './find-expr.js';
export type { FindActions, FindEntry } from './find-expr.js';
export { globToRegExp } from './glob.js';
export { RegexSyntaxError, compileMatcher } from './regex.js';
export { concatOperands } from './concat.js';
export { canonicalLine, dumpChunks, window, wordsLine, xxdLine } from './dump.js';
export { layoutColumns } from './columns.js';
export { classifyMark, colourCode, longLine, majorMinor, printableName } from './ls-entry.js';
export type { Entry } from './ls-entry.js';
export { checksumBuiltin } from './checksum.js';
