// Tells dist/'s code-cache loader (scripts/code-cache-loader.cjs) that the program's start
// is done, so the V8 code cache it writes holds what a start compiles and no more. Outside
// a bundle (tests, tsx) nobody listens and this does nothing.
const STARTUP_DONE = Symbol.for('breakglass.startupDone');

export function startupDone(): void {
  const hook = (globalThis as Record<symbol, unknown>)[STARTUP_DONE];
  if (typeof hook === 'function') hook();
}
