// The frame every file built-in runs in: turns the few ways a command ends early into
// sh's exit statuses, so each built-in only handles its own errors.
//   BrokenPipe (reader went away, `cat big | head -1`) → 141 (128 + SIGPIPE)
//   ctx.signal aborted (^C, session closed)            → 130 (128 + SIGINT)
//   bad option                                         → `NAME: message` + hint, usageCode
import type { BuiltinContext } from '../../types.js';
import { BrokenPipe } from '../../../os/index.js';
import { fail } from '../io.js';
import { OptionError } from '../../options.js';

/** A usage problem found after option parsing (bad number, missing operand). */
export class UsageProblem extends Error {
  override name = 'UsageProblem';
}

/** Thrown by loops that notice ctx.signal was aborted. */
export class Aborted extends Error {
  override name = 'Aborted';
  constructor() {
    super('interrupted');
  }
}

export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new Aborted();
}

export async function guarded(
  name: string,
  ctx: BuiltinContext,
  body: () => Promise<number>,
  usageCode = 1,
): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof BrokenPipe) return 141;
    if (err instanceof Aborted || ctx.signal.aborted) return 130;
    if (err instanceof OptionError || err instanceof UsageProblem) {
      return fail(ctx.stderr, name, `${err.message}\nTry '${name} --help' for more information.`, usageCode);
    }
    throw err;
  }
}
