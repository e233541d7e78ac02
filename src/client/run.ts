// `breakglass HOST [COMMAND…]`: open the glass from a laptop.
//  1. find the web UI password (gokrazy's files) and GET /status?path=SERVICE
//  2. POST /restart with the XSRF cookie unless it runs (or --force-restart)
//  3. wait for the SSH banner; read the host key the service logged (pinning)
//  4. upload --debug-tarball-pattern (toolbox add, or scp for gokrazy's Go server)
//  5. run ssh with inherited stdio over the same connection; exit with its status
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BreakglassError, errnoCode } from '../common/errors.js';
import { isGoServer, waitForSshBanner } from './banner.js';
import { discoverDevice } from './gokrazyConfig.js';
import type { DiscoveryEnv } from './gokrazyConfig.js';
import { HostKeyMismatch, fingerprintOf, knownHostsLine, scanLogLine, verifiedHostKey } from './hostKey.js';
import type { LoggedHostKey } from './hostKey.js';
import { runProgram } from './processes.js';
import { proxyStdio } from './proxy.js';
import { controlExitArgs, parseSshG, sshArgs } from './sshArgs.js';
import type { SshSettings } from './sshArgs.js';
import { tarballPath, uploadTarball } from './upload.js';
import { WebUiClient, WebUiError, describeTarget } from './webui.js';

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

/** ssh -G: the host name and port ssh will really use (the user's config applies). */
async function effectiveTarget(settings: SshSettings, destination: string): Promise<{ hostname: string; port: number }> {
  const args = [...(settings.configFile ? ['-F', settings.configFile] : []), ...(settings.port ? ['-p', String(settings.port)] : []), '-G', '--', destination];
  const result = await runProgram('ssh', args).catch(() => undefined);
  const parsed = result && result.code === 0 ? parseSshG(result.stdout) : {};
  return { hostname: parsed.hostname ?? destination, port: parsed.port ?? settings.port ?? 22 };
}

export async function runClient(options: ClientOptions, log: (line: string) => void): Promise<number> {
  const say = options.proxy ? () => undefined : log;
  const access = await discoverDevice(
    { host: options.host, ...(options.passwordFile ? { passwordFile: options.passwordFile } : {}), ...(options.httpPort ? { httpPort: options.httpPort } : {}) },
    realDiscoveryEnv(),
  );
  const web = new WebUiClient({ kind: 'tcp', host: access.hostname, port: access.httpPort, password: access.password }, options.timeoutMs);
  const where = describeTarget(web.target);

  let status;
  try {
    status = await web.status(options.service);
  } catch (err) {
    if (err instanceof WebUiError && err.status === 401) {
      throw new BreakglassError(`wrong password for gokrazy@${access.hostname} (web UI ${where}); check ${access.passwordSource} or pass --password-file`, {}, { cause: err });
    }
    if (err instanceof WebUiError && err.status === 404) {
      throw new BreakglassError(`${access.hostname} has no service ${options.service}: is breakglass in your device config? (or pass --service PATH)`, {}, { cause: err });
    }
    throw err;
  }
  let restarted = false;
  if (!status.started || options.forceRestart) {
    say(`${status.started ? 'restarting' : 'starting'} ${options.service} on ${access.hostname}`);
    await web.act('restart', options.service, status.xsrfToken);
    restarted = true;
  }

  const settings: SshSettings = {
    ...(options.sshConfig ? { configFile: options.sshConfig } : {}),
    ...(options.identity ? { identity: options.identity } : {}),
    ...(options.sshPort ? { port: options.sshPort } : {}),
  };
  const target = await effectiveTarget(settings, access.hostname);
  if (restarted && status.started) await sleep(250); // let the old server go away first
  const banner = await waitForSshBanner(target.hostname, target.port, options.timeoutMs);

  if (options.proxy) return proxyStdio(target.hostname, target.port);

  const tmp = await mkdtemp(join(tmpdir().length > 60 ? '/tmp' : tmpdir(), 'breakglass-'));
  let sharing = false;
  try {
    const logged = await loggedHostKey(web, options.service, restarted ? 3000 : 1000);
    const key = verifiedHostKey(logged, access.hostname);
    if (key) {
      const alias = `breakglass.${access.hostname}`;
      const knownHostsFile = join(tmp, 'known_hosts');
      await writeFile(knownHostsFile, knownHostsLine(alias, key), { mode: 0o600 });
      settings.pin = { knownHostsFile, alias };
      say(`pinned host key ${fingerprintOf(key)} (from ${options.service}'s log)`);
    } else {
      say(`host key not found in ${options.service}'s recent log; falling back to your known_hosts (--force-restart makes it log the key again)`);
    }

    if (options.debugTarballPattern) {
      const file = tarballPath(options.debugTarballPattern, status.goarch);
      const useScp = isGoServer(banner);
      if (!options.prepareOnly && !useScp) {
        settings.controlPath = join(tmp, 'cm'); // the directory is ours alone: one master
        sharing = true;
      }
      await uploadTarball({
        file,
        settings,
        destination: access.hostname,
        useScp,
        ...(process.stderr.isTTY ? { draw: (text: string) => process.stderr.write(text) } : {}),
        log: say,
      });
    }
    if (options.prepareOnly) return 0;
    // `breakglass HOST -- CMD`: the `--` only ends our flags.
    const command = options.command[0] === '--' ? options.command.slice(1) : options.command;
    return await runSession(settings, access.hostname, command);
  } catch (err) {
    if (err instanceof HostKeyMismatch) throw new BreakglassError(err.message, {}, { cause: err });
    throw err;
  } finally {
    if (sharing) await runProgram('ssh', controlExitArgs(settings, access.hostname)).catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The session with our stdio; ^C belongs to ssh (or the remote side), not to us. */
async function runSession(settings: SshSettings, destination: string, command: string[]): Promise<number> {
  const ignore = (): void => undefined;
  process.on('SIGINT', ignore);
  process.on('SIGQUIT', ignore);
  try {
    const result = await runProgram('ssh', sshArgs(settings, destination, command), { stdio: 'inherit' });
    return result.code;
  } finally {
    process.off('SIGINT', ignore);
    process.off('SIGQUIT', ignore);
  }
}
