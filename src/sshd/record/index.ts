// Public surface of session recording (DESIGN.md "Session recording").
export { CastParseError, parseCast, parseResize } from './asciicast.js';
export type { CastEvent, CastHeader } from './asciicast.js';
export { CastRecorder } from './cast-recorder.js';
export { createRecordDir, pickPrunable, recordingStamp } from './record-dir.js';
export type { RecorderFactory, RecordDirOptions } from './record-dir.js';
