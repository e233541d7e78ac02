// Public surface of the shell (see types.ts for the seam).
export type { ExitResult, SessionListing, ShellSession, ShellSessionOptions, SessionServices, TerminalSize, ToolboxHandle } from './types.js';
import { Session } from './session.js';
import type { ShellSession, ShellSessionOptions } from './types.js';

/** Creates a shell bound to one SSH session channel. */
export function createShellSession(options: ShellSessionOptions): ShellSession {
  return new Session(options);
}
