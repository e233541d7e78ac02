// The frame of the built-ins that talk to breakglass-init over its Unix socket (svc,
// logs): one error rule for both — a bad option exits 2; whatever the init or its socket
// reports (no socket, unknown service, HTTP error) is `NAME: message`, exit 1.
import type { Builtin, BuiltinContext } from '../types.js';
import { initSocketClient } from '../../webui/index.js';
import type { WebUiClient } from '../../webui/index.js';
import { BrokenPipe } from '../../os/index.js';
import { fail } from './io.js';
import { OptionError } from '../options.js';

export interface InitBuiltinSpec {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], ctx: BuiltinContext): Promise<number>;
}

export function initBuiltin(spec: InitBuiltinSpec): Builtin {
  return {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    run: async (args, ctx) => {
      try {
        return await spec.run(args, ctx);
      } catch (err) {
        if (err instanceof BrokenPipe) throw err;
        return fail(ctx.stderr, spec.name, (err as Error).message, err instanceof OptionError ? 2 : 1);
      }
    },
  };
}

/** The client for this session's init socket; throws NoInitSocket when there is none. */
export function initClient(ctx: BuiltinContext): WebUiClient {
  return initSocketClient(ctx.services.initSocket);
}
