// --stop-after for one host: run as usual, then stop the service through the web UI
// (close the glass), also when the session or its preparation failed.
import { messageOf } from '../common/index.js';
import { runClient } from './run.js';
import type { ClientOptions } from './run.js';
import type { WebUiClient } from '../webui/index.js';

export async function runClientThenStop(options: ClientOptions, log: (line: string) => void): Promise<number> {
  let web: WebUiClient | undefined;
  const stop = async (): Promise<boolean> => {
    if (!web) return true; // never got as far as the web UI answering: nothing was started
    try {
      await web.act('stop', options.service);
      log(`stopped ${options.service}`);
      return true;
    } catch (err) {
      log(`--stop-after: ${messageOf(err)}`);
      return false;
    }
  };
  let code: number;
  try {
    code = await runClient({ ...options, onStarted: (client) => (web = client) }, log);
  } catch (err) {
    await stop();
    throw err;
  }
  // A glass left open is worth a non-zero status even when the command succeeded.
  return (await stop()) || code !== 0 ? code : 1;
}
