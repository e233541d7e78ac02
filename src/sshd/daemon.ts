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

function createKeyStore(path: string, audit: AuditLog): KeyStore {
  return new KeyStore(path, {
    onLoad: (file, count, warnings) => {
      for (const w of warnings) audit.warn(`${file}:${w.line}: ${w.message}`, { file, line: w.line });
      if (count === 0) audit.warn(`${file}: no usable key; nobody can log in until a key is added`, { file });
      else audit.event('authorized-keys', { file, keys: count });
    },
    onUnavailable: (file, reason) => audit.warn(`${file} is unavailable (${reason}); refusing every login until it is back`, { file }),
  });
}

async function removeOwnedToolboxDir(dirs: { toolboxDir: string; ownsToolboxDir: boolean }): Promise<void> {
  if (dirs.ownsToolboxDir) await rm(dirs.toolboxDir, { recursive: true, force: true });
}

/** The session recorder for --record; an unusable dir is exit 2. */
async function openRecorder(config: DaemonConfig, audit: AuditLog, dirs: Prepared): Promise<RecorderFactory | undefined> {
  const record = config.record;
  if (!record) return undefined;
  try {
    return await createRecordDir({ dir: record.dir, maxFileBytes: record.maxFileBytes, maxTotalBytes: record.maxTotalBytes, recordInput: record.input, audit: audit.event });
  } catch (err) {
    await removeOwnedToolboxDir(dirs);
    throw new UsageError(`--record ${record.dir}: ${messageOf(err)}; give a writable directory (it is created with mode 0700)`);
  }
}

/**
 * The running daemon's mutable part: open connections, the --idle-exit timer, and stopping.
 * Nobody connected (no authenticated connection, no detached session) arms the idle timer.
 */
class DaemonLifetime {
  readonly live = new Set<LiveConnection>();
  readonly terminals: SessionRegistry;
  readonly finished: Promise<number>;
  private authenticatedCount = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private listeners: ListenerSet | undefined;
  private resolveFinished: (code: number) => void = () => undefined;

  constructor(
    private readonly config: DaemonConfig,
    private readonly audit: AuditLog,
    private readonly prepared: Prepared,
  ) {
    this.finished = new Promise<number>((resolve) => (this.resolveFinished = resolve));
    // A detached session counts as open: its jobs wait for their owner.
    this.terminals = new SessionRegistry({
      detachTimeoutMs: config.detachTimeoutMs,
      maxDetached: config.maxDetached,
      audit: audit.event,
      onCountChange: (count) => (count === 0 ? this.armIdle() : this.cancelIdle()),
    });
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  armIdle(): void {
    if (this.config.idleExitMs <= 0 || this.authenticatedCount > 0 || this.terminals.count > 0) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.audit.event('idle-exit', { after_ms: this.config.idleExitMs });
      void this.stop();
    }, this.config.idleExitMs);
  }

  private cancelIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  readonly connections: ServerState['connections'] = {
    authenticated: () => {
      this.authenticatedCount++;
      this.cancelIdle();
    },
    gone: (conn, wasAuthenticated) => {
      this.live.delete(conn);
      if (!wasAuthenticated) return;
      this.authenticatedCount--;
      this.armIdle();
    },
  };

  /** Starts the listeners; stop() closes them. */
  async listen(listeners: ListenerSet): Promise<void> {
    this.listeners = listeners;
    await listeners.start();
    this.armIdle();
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const closing = this.listeners?.close();
    const ending = Promise.all([...this.live].map((c) => c.shutdown()).concat(this.terminals.shutdown()));
    const bound = new Promise((resolve) => setTimeout(resolve, SESSION_CLOSE_GRACE_MS + 1500).unref());
    await Promise.race([Promise.all([closing, ending]), bound]);
    await this.prepared.toolbox?.close().catch(() => undefined);
    await removeOwnedToolboxDir(this.prepared).catch(() => undefined);
    this.audit.event('stopped', {});
    this.resolveFinished(0);
  }
}

/** The listeners of --listen / --port; each accepted socket becomes a LiveConnection. */
function createListeners(config: DaemonConfig, io: DaemonIO, audit: AuditLog, lifetime: DaemonLifetime, state: ServerState, fingerprint: string): ListenerSet {
  return new ListenerSet({
    spec: config.listen,
    port: config.port,
    createServer: () =>
      createServer({ noDelay: true }, (socket: Socket) => {
        if (lifetime.isStopping) return void socket.destroy();
        const conn = new LiveConnection(socket, state);
        lifetime.live.add(conn);
        conn.start();
      }),
    onListening: (display) => io.stderr(`breakglassd: listening on ${display} (host key ${fingerprint})\n`),
    onError: (display, err) => audit.warn(`cannot listen on ${display}: ${err.message}`),
  });
}

/** Starts the daemon; rejects with UsageError for problems the user must fix. */
export async function startDaemon(config: DaemonConfig, io: DaemonIO): Promise<RunningDaemon> {
  const audit = createAuditLog(config.logFormat, io.stderr);
  const keys = createKeyStore(resolveAuthorizedKeysPath(config.authorizedKeys), audit);
  // Every exit-2 problem is found before the first log line (keys.load() logs).
  const hostKey = await loadOrCreateHostKey(config.hostKey);
  const dirs = await makeToolboxDir(config);
  try {
    keys.load();
  } catch (err) {
    await removeOwnedToolboxDir(dirs);
    throw err;
  }
  if (hostKey.generated) audit.event('host-key-generated', { file: config.hostKey, fingerprint: hostKey.fingerprint });
  if (hostKey.permissionWarning) audit.warn(hostKey.permissionWarning);

  const prepared = await prepareDirs(config, audit, dirs);
  const recorder = await openRecorder(config, audit, prepared);
  const onTmpfs = prepared.toolbox ? await prepared.toolbox.isTmpfs().catch(() => undefined) : undefined;
  if (onTmpfs === false) audit.warn(`toolbox dir ${prepared.toolboxDir} is not on tmpfs: uploads persist on disk`);
  const procRoot = '/proc';
  const sysRoot = '/sys';
  const facts = await readBannerFacts({ procRoot, sysRoot, toolboxDir: prepared.toolbox ? prepared.toolboxDir : undefined, toolboxOnTmpfs: onTmpfs });

  const lifetime = new DaemonLifetime(config, audit, prepared);
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
    terminals: lifetime.terminals,
    ...(recorder ? { recorder } : {}),
    connections: lifetime.connections,
  };

  const listeners = createListeners(config, io, audit, lifetime, state, hostKey.fingerprint);
  io.stderr(`breakglassd: host key ${hostKey.publicLine}\n`);
  await lifetime.listen(listeners);
  return { finished: lifetime.finished, stop: () => lifetime.stop() };
}
