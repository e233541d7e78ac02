// Public surface of the shell (owned by the shell work; see types.ts for the seam).
export type { ExitResult, ShellSession, ShellSessionOptions, SessionServices, TerminalSize, ToolboxHandle } from './types.js';
import type { ShellSession, ShellSessionOptions } from './types.js';

/** Creates a shell bound to one SSH session channel. */
export function createShellSession(_options: ShellSessionOptions): ShellSession {
  throw new Error('shell: not implemented yet');
}
