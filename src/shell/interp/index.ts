// Public surface of the interpreter: run parsed scripts against injected state.
export { Interpreter } from './interpreter.js';
export type { InterpreterOptions, TerminalCommand } from './interpreter.js';
export type { SpawnFn } from './external.js';
export { Job, JobTable } from './job.js';
export { emptyInput } from './streams.js';
export { signalList, signalName, signalNumber, statusOfSignal } from './signals.js';
