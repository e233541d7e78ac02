// Errors of `npm run vm`: one class; the message says what failed and what to do next.

export class VmError extends Error {
  override name = 'VmError';
}
