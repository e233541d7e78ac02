// Several operands read as one stream (hexdump, xxd), reporting each unreadable file
// as `NAME: PATH: message` and going on with the next.
import type { BuiltinContext } from '../../types.js';
import { BrokenPipe } from '../../../os/index.js';
import { reportPath } from './define.js';
import { Aborted } from './guard.js';
import { operandChunks } from './input.js';

export interface Concatenated {
  chunks: AsyncGenerator<Buffer>;
  /** 1 once any operand failed. */
  status(): number;
}

export function concatOperands(ctx: BuiltinContext, name: string, operands: string[]): Concatenated {
  let status = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    for (const operand of operands) {
      try {
        yield* operandChunks(ctx, operand);
      } catch (err) {
        if (err instanceof BrokenPipe || err instanceof Aborted) throw err;
        status = await reportPath(ctx, name, operand, err);
      }
    }
  }
  return { chunks: chunks(), status: () => status };
}
