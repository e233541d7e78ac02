import { BreakglassError } from '../../common/index.js';

/** A refused or failed toolbox operation; the message is shown to the user as is. */
export class ToolboxError extends BreakglassError {
  override name = 'ToolboxError';
}

/** Refusal tied to one archive entry: the message names it. */
export function refuseEntry(name: string, reason: string): ToolboxError {
  return new ToolboxError(`refused entry ${JSON.stringify(name)}: ${reason}`, { entry: name });
}
