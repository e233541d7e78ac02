// Helpers shared by the breakglassd integration tests (on top of test/helpers/server.ts).
import { readdir, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { DIST, run } from '../helpers/server.js';
import type { RunResult, TestServer } from '../helpers/server.js';

/** Runs breakglassd to completion (for flag errors and exit codes). */
export function runDaemon(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return run(process.execPath, [join(DIST, 'breakglassd.js'), ...args], { timeoutMs: options.timeoutMs ?? 10_000, env: options.env });
}

/**
 * The harness's ssh options with some replaced (ssh keeps the first value of an
 * option, so overrides must replace, not append).
 */
export function sshArgs(server: TestServer, overrides: { identity?: string; logLevel?: string } = {}): string[] {
  const opts = server.sshOptions();
  if (overrides.identity) opts[opts.indexOf('-i') + 1] = overrides.identity;
  if (overrides.logLevel) opts[opts.indexOf('LogLevel=ERROR')] = `LogLevel=${overrides.logLevel}`;
  return [...opts, '-p', String(server.port)];
}

/** ssh to the server with a different identity than the harness key. */
export function sshWithIdentity(
  server: TestServer,
  identity: string,
  command: string,
  options: { extraArgs?: string[]; input?: string; timeoutMs?: number; logLevel?: string } = {},
): Promise<RunResult> {
  return run('ssh', [...sshArgs(server, { identity, logLevel: options.logLevel }), ...(options.extraArgs ?? []), 'root@127.0.0.1', command], options);
}

/** ssh with the harness key at another log level (INFO shows negotiation errors). */
export function sshAtLogLevel(server: TestServer, logLevel: string, command: string, extraArgs: string[] = []): Promise<RunResult> {
  return run('ssh', [...sshArgs(server, { logLevel }), ...extraArgs, 'root@127.0.0.1', command]);
}

/** PIDs whose command line is exactly argv (from /proc, no ps needed). */
export async function findProcesses(argv: string[]): Promise<number[]> {
  const wanted = `${argv.join('\0')}\0`;
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline === wanted) found.push(Number(entry));
  }
  return found;
}

/** Polls until check() is true or the time is up; returns the last result. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5000, stepMs = 50): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export interface RawConnection {
  socket: Socket;
  /** Bytes received so far. */
  received(): string;
  /** Resolves with ms from connect to close. */
  closed: Promise<number>;
}

/** A raw TCP connection that sends nothing (a pre-auth client that stalls). */
export function rawConnect(port: number, localAddress = '127.0.0.1'): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    const started = Date.now();
    const closed = new Promise<number>((r) => socket.once('close', () => r(Date.now() - started)));
    socket.on('data', (c: Buffer) => (data += c.toString('latin1')));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, received: () => data, closed }));
    socket.once('error', reject);
  });
}
