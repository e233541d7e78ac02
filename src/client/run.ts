// `breakglass HOST [COMMAND…]`: open the glass from a laptop.
//  1. find the web UI password (gokrazy's files) and GET /status?path=SERVICE
//  2. POST /restart with the XSRF cookie unless it runs (or --force-restart)
//  3. wait for the SSH banner; read the host key the service logged (pinning)
//  4. upload --debug-tarball-pattern (toolbox add, or scp for gokrazy's Go server)
//  5. run ssh with inherited stdio over the same connection; exit with its status. An
//     interactive session reattaches a detached one and survives drops (interactive.ts)
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BreakglassError, messageOf } from '../common/index.js';
import { errnoCode } from '../os/index.js';
import { isGoServer, waitForSshBanner } from './banner.js';
import type { SshBanner } from './banner.js';
import { discoverDevice } from './gokrazy-config.js';
import type { DeviceAccess, DiscoveryEnv } from './gokrazy-config.js';
import { fingerprintOf, knownHostsLine, pickScannedKey, scanLogLine, verifiedHostKey } from './host-key.js';
import type { LoggedHostKey } from './host-key.js';
import { runInteractive } from './interactive.js';
import { runProgram } from './processes.js';
import { proxyStdio } from './proxy.js';
import { controlExitArgs, parseSshG, sshArgs } from './ssh-args.js';
import type { SshSettings } from './ssh-args.js';
import { tarballPath, uploadTarball } from './upload.js';
import { WebUiClient, WebUiError, describeTarget } from '../webui/index.js';
import type { ServiceStatusInfo } from '../webui/index.js';

export interface ClientOptions {
  host: string;
  command: string[];
  service: string;
  sshConfig?: string;
  identity?: string;
  sshPort?: number;
  httpPort?: number;
  passwordFile?: string;
  debugTarballPattern?: string;
  forceRestart: boolean;
  prepareOnly: boolean;
  proxy: boolean;
  timeoutMs: number;
  /** --new: a fresh shell even when one of ours is detached. */
  newSession: boolean;
  /** --reconnect-timeout; 0: never reconnect. */
  reconnectTimeoutMs: number;
  /** Called once the service runs; the web UI client stays usable (--stop-after). */
  onStarted?: (web: WebUiClient) => void;
  /** Fleet (src/client/fleet.ts): the command runs with captured output, not on our terminal. */
  capture?: CapturedRun;
}

export interface CapturedRun {
  /** Runs `ssh ARGS` (BatchMode: nobody answers prompts) and returns its exit status. */
  runSsh(args: string[]): Promise<number>;
  /** The upload's output (toolbox add's manifest, ssh's and scp's messages). */
  uploadOutput(chunk: Buffer): void;
}

export function realDiscoveryEnv(env: NodeJS.ProcessEnv = process.env): DiscoveryEnv {
  const home = env.HOME || homedir();
  return {
    home,
    configDir: env.XDG_CONFIG_HOME || join(home, '.config'),
    parentDir: env.GOKRAZY_PARENT_DIR || join(home, 'gokrazy'),
    readFile: async (path) => {
      try {
        return await readFile(path, 'utf8');
      } catch (err) {
        if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return undefined;
        throw err;
      }
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads the service's stderr ring until the startup lines show up (they may lag the banner). */
async function loggedHostKey(web: WebUiClient, service: string, waitMs: number): Promise<LoggedHostKey> {
  const deadline = Date.now() + waitMs;
  let state: LoggedHostKey = {};
  for (;;) {
    state = {};
    const abort = AbortSignal.timeout(Math.max(500, deadline - Date.now()));
    // A real gokrazy streams /log forever: stop at the deadline either way.
    for await (const line of web.logLines(service, 'stderr', { signal: abort })) state = scanLogLine(state, line);
    if (state.publicKey || Date.now() >= deadline) return state;
    await sleep(150);
  }
}

/** The service's pid from /status JSON (breakglass-init and gokrazy both report `Pid`). */
async function servicePid(web: WebUiClient, service: string): Promise<number | undefined> {
  const json = await web.statusJson(service).catch(() => undefined);
  return typeof json?.Pid === 'number' ? json.Pid : undefined;
}

async function waitForNewPid(web: WebUiClient, service: string, oldPid: number | undefined, timeoutMs: number): Promise<void> {
  if (oldPid === undefined) {
    await sleep(250); // no JSON status: give the old server time to go, as gokrazy's client does
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const pid = await servicePid(web, service);
    if (pid !== undefined && pid !== 0 && pid !== oldPid) return;
    await sleep(100);
  }
}

/** ssh -G: the host name and port ssh will really use (the user's config applies). */
async function effectiveTarget(settings: SshSettings, destination: string): Promise<{ hostname: string; port: number }> {
  const args = [...(settings.configFile ? ['-F', settings.configFile] : []), ...(settings.port ? ['-p', String(settings.port)] : []), '-G', '--', destination];
  const result = await runProgram('ssh', args).catch(() => undefined);
  const parsed = result && result.code === 0 ? parseSshG(result.stdout) : {};
  return { hostname: parsed.hostname ?? destination, port: parsed.port ?? settings.port ?? 22 };
}

interface StartResult {
  access: DeviceAccess;
  web: WebUiClient;
  status: ServiceStatusInfo;
  restarted: boolean;
}

/** Steps 1–2: the web UI, and the service started unless it runs (or --force-restart). */
async function ensureStarted(options: ClientOptions, say: (line: string) => void): Promise<StartResult> {
  const access = await discoverDevice(
    { host: options.host, ...(options.passwordFile ? { passwordFile: options.passwordFile } : {}), ...(options.httpPort ? { httpPort: options.httpPort } : {}) },
    realDiscoveryEnv(),
  );
  const web = new WebUiClient({ kind: 'tcp', host: access.hostname, port: access.httpPort, password: access.password }, options.timeoutMs);
  let status: ServiceStatusInfo;
  try {
    status = await web.status(options.service);
  } catch (err) {
    if (err instanceof WebUiError && err.status === 401) {
      throw new BreakglassError(`wrong password for gokrazy@${access.hostname} (web UI ${describeTarget(web.target)}); check ${access.passwordSource} or pass --password-file`, {}, { cause: err });
    }
    if (err instanceof WebUiError && err.status === 404) {
      throw new BreakglassError(`${access.hostname} has no service ${options.service}: is breakglass in your device config? (or pass --service PATH)`, {}, { cause: err });
    }
    throw err;
  }
  if (status.started && !options.forceRestart) return { access, web, status, restarted: false };
  say(`${status.started ? 'restarting' : 'starting'} ${options.service} on ${access.hostname}`);
  const oldPid = status.started ? await servicePid(web, options.service) : undefined;
  await web.act('restart', options.service, status.xsrfToken);
  // The old server may still answer for a moment: wait for the new process.
  if (status.started) await waitForNewPid(web, options.service, oldPid, options.timeoutMs);
  return { access, web, status, restarted: true };
}

/** Step 3b: a known_hosts with only the key the service logged, checked against its fingerprint. */
async function pinHostKey(
  start: StartResult,
  target: { hostname: string; port: number },
  banner: SshBanner,
  service: string,
  tmp: string,
  say: (line: string) => void,
): Promise<SshSettings['pin']> {
  const host = start.access.hostname;
  if (isGoServer(banner)) {
    say(`${host} runs gokrazy's Go breakglass, which logs no host key; using your known_hosts`);
    return undefined;
  }
  const logged = await loggedHostKey(start.web, service, start.restarted ? 3000 : 1000).catch((err: unknown): LoggedHostKey => {
    say(`cannot read ${service}'s log for its host key: ${messageOf(err)}`);
    return {};
  });
  let key = verifiedHostKey(logged, host);
  if (!key && logged.fingerprint) {
    // Only the fingerprint was logged: fetch the key the server presents and check it.
    const scan = await runProgram('ssh-keyscan', ['-T', '5', '-p', String(target.port), target.hostname]);
    key = pickScannedKey(scan.stdout, logged.fingerprint, host);
  }
  if (!key) {
    say(`host key not found in ${service}'s recent log; falling back to your known_hosts (--force-restart makes it log the key again)`);
    return undefined;
  }
  const alias = `breakglass.${host}`;
  const knownHostsFile = join(tmp, 'known_hosts');
  await writeFile(knownHostsFile, knownHostsLine(alias, key), { mode: 0o600 });
  say(`pinned host key ${fingerprintOf(key)} (from ${service}'s log)`);
  return { knownHostsFile, alias };
}

/** The ssh settings our flags give (the pin, the shared master and `resumable` come later). */
function sshSettingsOf(options: ClientOptions): SshSettings {
  return {
    ...(options.sshConfig ? { configFile: options.sshConfig } : {}),
    ...(options.identity ? { identity: options.identity } : {}),
    ...(options.sshPort ? { port: options.sshPort } : {}),
    ...(options.capture ? { batchMode: true } : {}),
  };
}

/** A shell on our terminal against breakglassd: it can be detached, offered and resumed. */
function isResumable(options: ClientOptions, banner: SshBanner): boolean {
  return options.command.length === 0 && !options.prepareOnly && !options.proxy && !options.capture && process.stdin.isTTY === true && !isGoServer(banner);
}

/** What steps 3b–5 work with, once the server answers. */
interface ClientRun {
  options: ClientOptions;
  start: StartResult;
  destination: string;
  target: { hostname: string; port: number };
  banner: SshBanner;
  /** Filled in on the way: the pin, the shared master's ControlPath, `resumable`. */
  settings: SshSettings;
  /** Ours alone, removed at the end. */
  tmp: string;
  say: (line: string) => void;
}

export async function runClient(options: ClientOptions, log: (line: string) => void): Promise<number> {
  const say = options.proxy ? () => undefined : log;
  const start = await ensureStarted(options, say);
  options.onStarted?.(start.web);
  const destination = start.access.hostname;
  const settings = sshSettingsOf(options);
  const target = await effectiveTarget(settings, destination);
  const banner = await waitForSshBanner(target.hostname, target.port, options.timeoutMs);

  // As a ProxyCommand without an upload there is nothing to pin: ssh checks the key itself.
  if (options.proxy && !options.debugTarballPattern) return proxyStdio(target.hostname, target.port);

  const tmp = await mkdtemp(join(tmpdir().length > 60 ? '/tmp' : tmpdir(), 'breakglass-'));
  let outcome: number | 'proxy';
  try {
    outcome = await prepareAndRun({ options, start, destination, target, banner, settings, tmp, say });
  } finally {
    // A ControlPath is set only once the master is meant to be shared: end that master.
    if (settings.controlPath) await runProgram('ssh', controlExitArgs(settings, destination)).catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
  }
  // ssh ends a ProxyCommand with SIGHUP, so nothing after the relay would run: cleaned up first.
  return outcome === 'proxy' ? proxyStdio(target.hostname, target.port) : outcome;
}

/** Steps 3b–5: pin the host key, upload, run; 'proxy': relay stdio once cleaned up. */
async function prepareAndRun(run: ClientRun): Promise<number | 'proxy'> {
  const { options, banner, settings } = run;
  const pin = await pinHostKey(run.start, run.target, banner, options.service, run.tmp, run.say);
  if (pin) settings.pin = pin;
  const useScp = isGoServer(banner);
  const resumable = isResumable(options, banner);
  if (resumable || (options.debugTarballPattern && !options.prepareOnly && !options.proxy && !useScp)) {
    settings.controlPath = join(run.tmp, 'cm'); // the directory is ours alone: one master
  }
  if (resumable) settings.resumable = true;
  if (options.debugTarballPattern) await uploadDebugTarball(run, options.debugTarballPattern, useScp);
  if (options.proxy) return 'proxy';
  if (options.prepareOnly) return 0;
  return runCommand(run, resumable);
}

/** Step 4: --debug-tarball-pattern for the device's architecture. */
async function uploadDebugTarball(run: ClientRun, pattern: string, useScp: boolean): Promise<void> {
  const { capture } = run.options;
  await uploadTarball({
    file: tarballPath(pattern, run.start.status.goarch),
    settings: run.settings,
    destination: run.destination,
    useScp,
    ...(process.stderr.isTTY && !capture ? { draw: (text: string) => process.stderr.write(text) } : {}),
    ...(capture ? { output: capture.uploadOutput } : {}),
    log: run.say,
  });
}

/** Step 5: the command (captured for the fleet), or a shell on our terminal. */
async function runCommand(run: ClientRun, resumable: boolean): Promise<number> {
  const { options, settings, destination } = run;
  // `breakglass HOST -- CMD`: the `--` only ends our flags.
  const command = options.command[0] === '--' ? options.command.slice(1) : options.command;
  if (options.capture) return await options.capture.runSsh(sshArgs(settings, destination, command));
  return await withTerminalSignalsIgnored(() =>
    resumable
      ? runInteractive({ settings, destination, host: options.host, newSession: options.newSession, reconnectTimeoutMs: options.reconnectTimeoutMs, tmp: run.tmp, say: run.say })
      : runSession(settings, destination, command),
  );
}

/**
 * ^C and ^\ reach ssh from the terminal themselves (same process group), so we only must
 * not die of them; SIGTERM and SIGHUP sent to us are passed on to ssh, so the cleanup
 * (ssh -O exit, temporary files) still runs.
 */
async function withTerminalSignalsIgnored<T>(run: () => Promise<T>): Promise<T> {
  const ignore = (): void => undefined;
  process.on('SIGINT', ignore);
  process.on('SIGQUIT', ignore);
  try {
    return await run();
  } finally {
    process.off('SIGINT', ignore);
    process.off('SIGQUIT', ignore);
  }
}

/** A command (or a shell without a terminal): ssh with our stdio, its status is ours. */
async function runSession(settings: SshSettings, destination: string, command: string[]): Promise<number> {
  const result = await runProgram('ssh', sshArgs(settings, destination, command), { stdio: 'inherit', forwardSignals: ['SIGTERM', 'SIGHUP'] });
  return result.code;
}
