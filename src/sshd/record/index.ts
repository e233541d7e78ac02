// Public surface of session recording (DESIGN.md "Session recording").
// The reader (cast-reader.ts: parseCast, parseResize) is not re-exported: it is for tests
// and tools, and its zod schemas would otherwise ride in breakglassd's bundle.
export type { CastEvent, CastHeader } from './asciicast.js';
export { CastRecorder } from './cast-recorder.js';
export { createRecordDir, pickPrunable, recordingStamp } from './record-dir.js';
export type { RecorderFactory, RecordDirOptions } from './record-dir.js';
