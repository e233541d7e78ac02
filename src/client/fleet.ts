// Fleet mode: one command on many devices (`breakglass pi1 pi2 -- df -h`, `breakglass
// --hosts FILE -- dmesg`). Each host goes the whole single-host way (runClient: web UI
// start, key pinning, upload) with the command's output captured instead of on our
// terminal, at most --parallel hosts at a time; --stop-after closes the glass again.
import { messageOf } from '../common/index.js';
import { SshWaitTimeout } from './banner.js';
import type { FleetHost } from './fleet-hosts.js';
import { runLimited } from './fleet-limit.js';
import { PrefixedLines } from './fleet-output.js';
import type { FleetSink, HostResult, HostStatus } from './fleet-output.js';
import { runProgram } from './processes.js';
import { runClient } from './run.js';
import type { ClientOptions } from './run.js';
import { WebUiError } from '../webui/index.js';
import type { WebUiClient } from '../webui/index.js';

export interface FleetRun {
  hosts: FleetHost[];
  /** What every host shares; a hosts-file line overrides ports, password file, service, identity. */
  base: Omit<ClientOptions, 'host' | 'capture' | 'onStarted'>;
  parallel: number;
  /** Limit for the remote command on each host (ssh is ended after it); undefined: none. */
  commandTimeoutMs?: number;
  stopAfter: boolean;
  sink: FleetSink;
  /** Aborted on ^C or SIGTERM: running commands are ended and no further host starts. */
  signal: AbortSignal;
}

class Interrupted extends Error {
  override name = 'Interrupted';
}

/** Could not get through to the device at all (as opposed to: it answered no). */
export function isUnreachable(err: unknown): boolean {
  if (err instanceof SshWaitTimeout) return true;
  return err instanceof WebUiError && err.status === undefined && typeof err.context.code === 'string';
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}

export function formatMs(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms} ms`;
}

async function runHost(run: FleetRun, host: FleetHost): Promise<HostResult> {
  const { sink, signal } = run;
  const name = host.name;
  const started = Date.now();
  let web: WebUiClient | undefined;
  let sshTail = '';
  let timedOut = false;
  const uploadLines = new PrefixedLines('', (data) => {
    for (const line of data.toString('utf8').split('\n').slice(0, -1)) sink.log(name, line);
  });
  const options: ClientOptions = {
    ...run.base,
    ...host.overrides,
    host: host.host,
    onStarted: (client) => (web = client),
    capture: {
      runSsh: async (args) => {
        if (signal.aborted) throw new Interrupted('interrupted before the command ran');
        const timeout = run.commandTimeoutMs ? AbortSignal.timeout(run.commandTimeoutMs) : undefined;
        const result = await runProgram('ssh', args, {
          stdio: ['ignore', 'pipe', 'pipe'],
          onStdout: (chunk) => sink.stdout(name, chunk),
          onStderr: (chunk) => {
            sshTail = (sshTail + chunk.toString('utf8')).slice(-500);
            sink.stderr(name, chunk);
          },
          signal: timeout ? AbortSignal.any([signal, timeout]) : signal,
        });
        timedOut = timeout?.aborted === true;
        return result.code;
      },
      uploadOutput: (chunk) => uploadLines.push(chunk),
    },
  };
  let status: HostStatus = 'ok';
  let exitCode: number | null = null;
  let error: string | null = null;
  try {
    exitCode = await runClient(options, (line) => sink.log(name, line));
    if (timedOut) error = `command timed out after ${formatMs(run.commandTimeoutMs!)}`;
    else if (signal.aborted && exitCode !== 0) error = `interrupted (exit status ${exitCode})`;
    else if (exitCode === 255) error = `exit status 255: ${lastLine(sshTail) || 'ssh failed'}`;
    else if (exitCode !== 0) error = `exit status ${exitCode}`;
    if (error) status = 'failed';
  } catch (err) {
    status = isUnreachable(err) ? 'unreachable' : 'failed';
    error = messageOf(err);
  } finally {
    uploadLines.end();
  }
  if (run.stopAfter && web) {
    const stopError = await web.act('stop', options.service).then(() => undefined, (err: unknown) => messageOf(err));
    if (stopError === undefined) sink.log(name, `stopped ${options.service}`);
    else {
      error = error ? `${error}; --stop-after: ${stopError}` : `--stop-after: ${stopError}`;
      if (status === 'ok') status = 'failed';
    }
  }
  return { host: name, status, exitCode, durationMs: Date.now() - started, error };
}

/** Every host's result, in the order given; each is also handed to `sink.done` as it finishes. */
export async function runFleet(run: FleetRun): Promise<HostResult[]> {
  const skipped = (host: FleetHost): HostResult => ({ host: host.name, status: 'skipped', exitCode: null, durationMs: 0, error: 'interrupted before it started' });
  const results = await runLimited(
    run.hosts,
    run.parallel,
    async (host) => {
      const result = await runHost(run, host);
      await run.sink.done(result);
      return result;
    },
    skipped,
    () => run.signal.aborted,
  );
  for (const result of results) if (result.status === 'skipped') await run.sink.done(result);
  return results;
}
