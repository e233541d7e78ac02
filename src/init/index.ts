// Public surface of breakglass-init: load the config, start the supervisor and the web
// UI, stop everything cleanly on SIGTERM/SIGINT.
import { messageOf } from '../common/index.js';
import { createApi } from './api.js';
import { XsrfTokens } from './auth.js';
import type { InitConfig } from './config.js';
import { goarchOf } from './goarch.js';
import { applyHostname } from './hostname.js';
import { loadOrCreatePassword } from './password.js';
import { PID1_WARNING, countUnreapedOrphans } from './pid1.js';
import { Supervisor } from './supervisor.js';
import { WebServer } from './server.js';

export { loadConfig, parseConfig } from './config.js';
export type { InitConfig, ServiceConfig } from './config.js';
export { goarchOf } from './goarch.js';
export { LineRing } from './ring-buffer.js';
export { restartDelayMs, nextFailureCount } from '../common/index.js';

/** The environment variable that tells services (breakglassd → `svc`, `logs`) where the API socket is. */
export const INIT_SOCKET_ENV = 'BREAKGLASS_INIT_SOCKET';

export interface RunningInit {
  supervisor: Supervisor;
  web: WebServer;
  /** Stops services (SIGTERM, SIGKILL after the grace) and the web UI. */
  shutdown(): Promise<void>;
}

export async function startInit(config: InitConfig, log: (line: string) => void): Promise<RunningInit> {
  const pw = await loadOrCreatePassword(config.http.passwordFile);
  if (pw.generated) log(`generated a web UI password in ${pw.file} (user gokrazy)`);
  const supervisor = new Supervisor(config.services, {
    stopGraceMs: config.stopGraceMs,
    extraEnv: { [INIT_SOCKET_ENV]: config.http.socket },
  });
  const api = createApi({
    supervisor,
    hostname: config.hostname,
    goarch: goarchOf(),
    password: () => pw.password,
    xsrf: new XsrfTokens(),
    pid1: process.pid === 1,
  });
  const web = new WebServer({
    listen: config.http.listen,
    port: config.http.port,
    socketPath: config.http.socket,
    handler: api,
    onListening: (display) => log(`web UI on ${display}`),
    onError: (display, err) => log(`cannot listen on ${display}: ${err.message}`),
  });
  await web.start();
  log(`API socket ${config.http.socket}`);
  supervisor.boot();
  return {
    supervisor,
    web,
    shutdown: async () => {
      await supervisor.shutdown();
      await web.close();
    },
  };
}

/** The program: runs until SIGTERM/SIGINT, then stops every service and resolves 0. */
export async function runInit(config: InitConfig): Promise<number> {
  const log = (line: string): void => {
    process.stderr.write(`breakglass-init: ${line}\n`);
  };
  if (process.pid === 1) log(PID1_WARNING);
  // Only as PID 1 (checked inside): a developer's `npm start` must never rename their machine.
  await applyHostname(config.hostname, { log });
  const init = await startInit(config, log);
  let zombieTimer: NodeJS.Timeout | undefined;
  if (process.pid === 1) {
    zombieTimer = setInterval(() => {
      countUnreapedOrphans(init.supervisor)
        .then((n) => n > 0 && log(`${n} unreapable zombie process(es) parented to PID 1`))
        .catch(() => undefined);
    }, 60_000);
    zombieTimer.unref();
  }
  // gokrazy's init rescans listeners on SIGHUP; ours rescan on their own. Never die of it.
  process.on('SIGHUP', () => log('SIGHUP: nothing to reload (listeners are rescanned every few seconds)'));
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log(`${signal}: stopping ${init.supervisor.services.length} service(s)`);
  if (zombieTimer) clearInterval(zombieTimer);
  try {
    await init.shutdown();
  } catch (err) {
    log(`shutdown: ${messageOf(err)}`);
  }
  return 0;
}
