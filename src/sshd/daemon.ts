// breakglassd's lifetime: load keys, prepare the toolbox, listen, serve, and stop on
// SIGTERM/SIGINT or after --idle-exit with nobody connected. Startup problems that
// the user must fix are UsageErrors (exit 2); the listeners print the readiness lines.
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListenerSet, UsageError, messageOf } from '../common/index.js';
import { createToolbox } from '../transfer/index.js';
import type { Toolbox } from '../transfer/index.js';
import { createAuditLog } from './audit.js';
import type { AuditLog } from './audit.js';
import { bannerNow, readBannerFacts } from './banner.js';
import { ensureDir } from '../os/index.js';
import type { DaemonConfig } from './config.js';
import { LiveConnection, SESSION_CLOSE_GRACE_MS } from './connection.js';
import type { ServerState } from './connection.js';
import { loadOrCreateHostKey } from './host-key.js';
import { KeyStore, resolveAuthorizedKeysPath } from './key-store.js';
import { SshServer } from './ssh2-adapter.js';
import { StartupLimiter } from './startup-limiter.js';
import { SessionRegistry } from './detach/index.js';
import { createRecordDir } from './record/index.js';
import type { RecorderFactory } from './record/index.js';

export const DEFAULT_INIT_SOCKET = '/run/gokrazy-http.sock';
const SERVER_IDENT = 'breakglassd';

export interface DaemonIO {
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

export interface RunningDaemon {
  /** Resolves with the exit code once the daemon has stopped. */
  finished: Promise<number>;
  stop(): Promise<void>;
}

interface Prepared {
  toolbox: Toolbox | undefined;
  toolboxDir: string;
  /** A dir we created with mkdtemp and remove at exit. */
  ownsToolboxDir: boolean;
  home: string;
}

/** The toolbox dir: the given one (created if missing; failure is exit 2) or a fresh mkdtemp. */
async function makeToolboxDir(config: DaemonConfig): Promise<{ toolboxDir: string; ownsToolboxDir: boolean }> {
  if (!config.toolboxDir) return { toolboxDir: await mkdtemp(join(tmpdir(), 'breakglass-')), ownsToolboxDir: true };
  const toolboxDir = config.toolboxDir;
  await ensureDir(toolboxDir).catch((err: unknown) => {
    throw new UsageError(`--toolbox-dir ${toolboxDir}: cannot create it (${messageOf(err)}); pass a writable directory, ideally on tmpfs`);
  });
  return { toolboxDir, ownsToolboxDir: false };
}

/** Toolbox and home; problems here are warnings: the door must open anyway. */
async function prepareDirs(config: DaemonConfig, audit: AuditLog, dirs: { toolboxDir: string; ownsToolboxDir: boolean }): Promise<Prepared> {
  const { toolboxDir } = dirs;
  let toolbox: Toolbox | undefined;
  try {
    toolbox = await createToolbox({ dir: toolboxDir, quotaBytes: config.toolboxQuotaBytes, audit: audit.event });
  } catch (err) {
    // A broken toolbox must not keep the door shut: built-ins still work.
    audit.warn(`toolbox unavailable, uploads disabled: ${messageOf(err)}`, { dir: toolboxDir });
  }
  let home = config.home;
  try {
    await ensureDir(home);
  } catch (err) {
    audit.warn(`cannot use --home ${home} (${messageOf(err)}); using the toolbox dir`);
    home = toolboxDir;
  }
  return { ...dirs, toolbox, home };
}

/** Starts the daemon; rejects with UsageError for problems the user must fix. */
export async function startDaemon(config: DaemonConfig, io: DaemonIO): Promise<RunningDaemon> {
  const audit = createAuditLog(config.logFormat, io.stderr);
  const authorizedKeysPath = await resolveAuthorizedKeysPath(config.authorizedKeys);
  const keys = new KeyStore(authorizedKeysPath, {
    onLoad: (path, count, warnings) => {
      for (const w of warnings) audit.warn(`${path}:${w.line}: ${w.message}`, { file: path, line: w.line });
      if (count === 0) audit.warn(`${path}: no usable key; nobody can log in until a key is added`, { file: path });
      else audit.event('authorized-keys', { file: path, keys: count });
    },
    onUnavailable: (path, reason) => audit.warn(`${path} is unavailable (${reason}); refusing every login until it is back`, { file: path }),
  });
  // Every exit-2 problem is found before the first log line (keys.load() logs).
  const hostKey = await loadOrCreateHostKey(config.hostKey);
  const dirs = await makeToolboxDir(config);
  await keys.load().catch(async (err: unknown) => {
    if (dirs.ownsToolboxDir) await rm(dirs.toolboxDir, { recursive: true, force: true });
    throw err;
  });
  if (hostKey.generated) audit.event('host-key-generated', { file: config.hostKey, fingerprint: hostKey.fingerprint });
  if (hostKey.permissionWarning) audit.warn(hostKey.permissionWarning);

  const prepared = await prepareDirs(config, audit, dirs);
  let recorder: RecorderFactory | undefined;
  if (config.record) {
    const record = config.record;
    try {
      recorder = await createRecordDir({ dir: record.dir, maxFileBytes: record.maxFileBytes, maxTotalBytes: record.maxTotalBytes, recordInput: record.input, audit: audit.event });
    } catch (err) {
      if (dirs.ownsToolboxDir) await rm(dirs.toolboxDir, { recursive: true, force: true });
      throw new UsageError(`--record ${record.dir}: ${messageOf(err)}; give a writable directory (it is created with mode 0700)`);
    }
  }
  const onTmpfs = prepared.toolbox ? await prepared.toolbox.isTmpfs().catch(() => undefined) : undefined;
  if (onTmpfs === false) audit.warn(`toolbox dir ${prepared.toolboxDir} is not on tmpfs: uploads persist on disk`);
  const procRoot = '/proc';
  const sysRoot = '/sys';
  const facts = await readBannerFacts({ procRoot, sysRoot, toolboxDir: prepared.toolbox ? prepared.toolboxDir : undefined, toolboxOnTmpfs: onTmpfs });

  const live = new Set<LiveConnection>();
  let authenticatedCount = 0;
  let idleTimer: NodeJS.Timeout | undefined;
  let stopping: Promise<void> | undefined;
  let resolveFinished!: (code: number) => void;
  const finished = new Promise<number>((resolve) => (resolveFinished = resolve));

  // A detached session counts as open: its jobs wait for their owner.
  const terminals = new SessionRegistry({
    detachTimeoutMs: config.detachTimeoutMs,
    maxDetached: config.maxDetached,
    audit: audit.event,
    onCountChange: (count) => {
      if (count === 0) armIdle();
      else if (idleTimer) {
        clearTimeout(idleTimer);
        idleTimer = undefined;
      }
    },
  });

  const armIdle = (): void => {
    if (config.idleExitMs <= 0 || authenticatedCount > 0 || terminals.count > 0) return;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      audit.event('idle-exit', { after_ms: config.idleExitMs });
      void stop();
    }, config.idleExitMs);
  };

  const state: ServerState = {
    config: { ...config, home: prepared.home },
    ssh: new SshServer({ hostKey: hostKey.privateKey, ident: SERVER_IDENT }),
    keys,
    audit,
    limiter: new StartupLimiter(config.maxStartups),
    services: {
      hostname: hostname(),
      toolbox: prepared.toolbox,
      initSocket: io.env.BREAKGLASS_INIT_SOCKET || DEFAULT_INIT_SOCKET,
      procRoot,
      sysRoot,
      devRoot: '/dev',
    },
    toolbox: prepared.toolbox,
    banner: config.banner ? () => bannerNow(facts) : undefined,
    path: io.env.PATH,
    terminals,
    ...(recorder ? { recorder } : {}),
    connections: {
      authenticated: () => {
        authenticatedCount++;
        if (idleTimer) clearTimeout(idleTimer);
        idleTimer = undefined;
      },
      gone: (conn, wasAuthenticated) => {
        live.delete(conn);
        if (!wasAuthenticated) return;
        authenticatedCount--;
        armIdle();
      },
    },
  };

  const listeners = new ListenerSet({
    spec: config.listen,
    port: config.port,
    createServer: () =>
      createServer({ noDelay: true }, (socket: Socket) => {
        if (stopping) return void socket.destroy();
        const conn = new LiveConnection(socket, state);
        live.add(conn);
        conn.start();
      }),
    onListening: (display) => io.stderr(`breakglassd: listening on ${display} (host key ${hostKey.fingerprint})\n`),
    onError: (display, err) => audit.warn(`cannot listen on ${display}: ${err.message}`),
  });

  io.stderr(`breakglassd: host key ${hostKey.publicLine}\n`);
  await listeners.start();
  armIdle();

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (idleTimer) clearTimeout(idleTimer);
      const closing = listeners.close();
      const ending = Promise.all([...live].map((c) => c.shutdown()).concat(terminals.shutdown()));
      const bound = new Promise((resolve) => setTimeout(resolve, SESSION_CLOSE_GRACE_MS + 1500).unref());
      await Promise.race([Promise.all([closing, ending]), bound]);
      await prepared.toolbox?.close().catch(() => undefined);
      if (prepared.ownsToolboxDir) await rm(prepared.toolboxDir, { recursive: true, force: true }).catch(() => undefined);
      audit.event('stopped', {});
      resolveFinished(0);
    })();
    return stopping;
  };

  return { finished, stop };
}
