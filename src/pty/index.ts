// Real pseudo-terminals for external programs without a native add-on (issue 11's
// mechanism): busybox telnetd over pipes, see busybox-pty.ts.
export { startOnBusyboxPty, launchScript, shellQuote } from './busybox-pty.js';
export type { PtyExit, PtyProgram, PtyStartOptions } from './busybox-pty.js';
