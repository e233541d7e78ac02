// Public surface of the shell's syntax package: parse text into a Script, no I/O.
export type * from './ast.js';
export { parse } from './parser.js';
export { ParseError, shellQuote } from './errors.js';
