// Public surface of src/os: helpers over Node's OS interfaces that several folders share —
// errno names and strerror text, file modes, uid/gid names, the ls date, stream writes with
// backpressure and chunk reads that leave the stream usable, mkdir -p that always ends,
// child processes in their own group and "signal, then SIGKILL after a grace".
export * from './errno.js';
export * from './mode.js';
export * from './id-names.js';
export * from './format.js';
export * from './stream.js';
export * from './ensure-dir.js';
export * from './child.js';
export * from './group.js';
