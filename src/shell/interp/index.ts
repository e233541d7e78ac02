// Public surface of the interpreter: run parsed scripts against injected state.
export { Interpreter } from './interpreter.js';
export type { InterpreterOptions } from './interpreter.js';
export type { SpawnFn } from './external.js';
export { Job, JobTable } from './job.js';
export { emptyInput } from './streams.js';
export { signalList, signalName, signalNumber } from './signals.js';
