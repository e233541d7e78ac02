// Helpers for local tools that talk to breakglass-init over its Unix socket (the
// shell's `svc` and `logs`): the client, and service-name lookup so `breakglass` means
// /user/breakglass.
import { WebUiClient } from './client.js';

export class NoInitSocket extends Error {
  override name = 'NoInitSocket';
}

export function initSocketClient(socketPath: string | undefined): WebUiClient {
  if (!socketPath) {
    throw new NoInitSocket(
      "breakglass-init's API socket is unknown (BREAKGLASS_INIT_SOCKET was not set for breakglassd; is the device run by breakglass-init?)",
    );
  }
  return new WebUiClient({ kind: 'unix', socketPath });
}

/** An absolute path as given; otherwise the one service whose last path element matches. */
export async function resolveServicePath(client: WebUiClient, name: string): Promise<string> {
  if (name.startsWith('/')) return name;
  const { Services } = await client.overview();
  const paths = Services.map((s) => String(s.Path));
  const matches = paths.filter((p) => p.split('/').pop() === name);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new Error(`${name} is ambiguous: ${matches.join(', ')}`);
  throw new Error(`no service named ${name} (services: ${paths.join(', ') || 'none'})`);
}
