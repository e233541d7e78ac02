// Public surface of src/common: error classes, flag parsing, units, addresses, listeners,
// backoff, resume tokens, the process title and the start-up signal, shared by every program.
export * from './errors.js';
export * from './flags.js';
export * from './units.js';
export * from './addresses.js';
export * from './listeners.js';
export * from './backoff.js';
export * from './resume-token.js';
export * from './process-title.js';
export * from './startup.js';
