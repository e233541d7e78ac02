// Public surface of detachable sessions (DESIGN.md "Detach and reattach").
export { parseAttachCommand } from './attach-command.js';
export { SessionRegistry } from './registry.js';
export type { RegistryOptions } from './registry.js';
export { Attachment, TerminalSession } from './terminal-session.js';
export type { AttachmentEnd, SessionOwner, SessionRecorder } from './terminal-session.js';
