// The built-ins' error line. The stream helpers they write with are in src/os.
import type { Writable } from 'node:stream';
import { write } from '../../os/index.js';

/** Standard `NAME: message` error line on stderr; returns the exit code for chaining. */
export async function fail(stderr: Writable, name: string, message: string, code = 1): Promise<number> {
  await write(stderr, `${name}: ${message}\n`).catch(() => undefined);
  return code;
}

/** `NAME: missing WHAT` for a command run without its required operand: a usage error, exit 2. */
export function failMissing(stderr: Writable, name: string, what = 'operand'): Promise<number> {
  return fail(stderr, name, `missing ${what}`, 2);
}
