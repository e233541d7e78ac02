// Starts the bundled breakglass-init with a generated config on 127.0.0.1:0 and a Unix
// socket in a fresh directory, and talks to it over HTTP the way curl or a browser would.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, waitFor } from '../helpers/server.js';

export interface ServiceJson {
  path: string;
  command: string[];
  env?: Record<string, string>;
  dontStart?: boolean;
}

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface InitHarness {
  dir: string;
  port: number;
  password: string;
  socket: string;
  process: ChildProcess;
  stderr(): string;
  /** HTTP on the TCP listener; `auth: false` sends no credentials. */
  http(method: string, path: string, options?: { auth?: boolean | string; headers?: Record<string, string>; body?: string }): Promise<HttpResult>;
  /** HTTP over the Unix socket (no credentials). */
  unix(method: string, path: string, headers?: Record<string, string>): Promise<HttpResult>;
  /** Opens a streaming response (SSE / follow). */
  open(path: string, headers: Record<string, string>): Promise<IncomingMessage>;
  /** GET /status then POST /restart (or /stop) with the XSRF cookie and token. */
  act(action: 'restart' | 'stop', path: string): Promise<HttpResult>;
  statusJson(path: string): Promise<Record<string, unknown>>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A service running `node -e CODE`. */
export function nodeService(path: string, code: string, extra: Partial<ServiceJson> = {}): ServiceJson {
  return { path, command: [process.execPath, '-e', code], ...extra };
}

export interface StartInitOptions {
  stopGraceMs?: number;
  dir?: string;
  /** Runs init under this command prefix (e.g. `unshare --pid --fork` to make it PID 1). */
  wrap?: string[];
}

export async function startInit(services: ServiceJson[], options: StartInitOptions = {}): Promise<InitHarness> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'bg-init-')));
  const socket = join(dir, 'init.sock');
  const config = {
    hostname: 'testdevice',
    http: { listen: '127.0.0.1', port: 0, passwordFile: join(dir, 'gokr-pw.txt'), socket },
    services,
    ...(options.stopGraceMs !== undefined ? { stopGraceMs: options.stopGraceMs } : {}),
  };
  await writeFile(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  const argv = [process.execPath, join(DIST, 'breakglass-init.js'), '--config', join(dir, 'config.json')];
  const [file, ...args] = [...(options.wrap ?? []), ...argv];
  const child = spawn(file!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const match = await waitFor(() => stderr, /breakglass-init: web UI on 127\.0\.0\.1:(\d+)/);
  await waitFor(() => stderr, /API socket/);
  const port = Number(match[1]);
  const password = (await readFile(join(dir, 'gokr-pw.txt'), 'utf8')).trim();

  const send = (where: { port: number } | { socketPath: string }, method: string, path: string, headers: Record<string, string>, body?: string): Promise<HttpResult> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', ...where, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const authHeader = (auth: boolean | string = true): Record<string, string> =>
    auth === false ? {} : { Authorization: `Basic ${Buffer.from(`gokrazy:${auth === true ? password : auth}`).toString('base64')}` };

  const harness: InitHarness = {
    dir, port, password, socket, process: child,
    stderr: () => stderr,
    http: (method, path, opts = {}) => send({ port }, method, path, { ...authHeader(opts.auth), ...opts.headers }, opts.body),
    unix: (method, path, headers = {}) => send({ socketPath: socket }, method, path, headers),
    open: (path, headers) =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, headers: { ...authHeader(), ...headers } }, resolve);
        req.on('error', reject);
        req.end();
      }),
    act: async (action, path) => {
      const status = await harness.http('GET', `/status?path=${encodeURIComponent(path)}`);
      const token = /gokrazy_xsrf=([^;]+)/.exec(String(status.headers['set-cookie']))![1]!;
      return harness.http('POST', `/${action}?path=${encodeURIComponent(path)}&xsrftoken=${encodeURIComponent(token)}`, { headers: { Cookie: `gokrazy_xsrf=${token}` } });
    },
    statusJson: async (path) => JSON.parse((await harness.http('GET', `/status?path=${encodeURIComponent(path)}`, { headers: { Accept: 'application/json' } })).body) as Record<string, unknown>,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const result = await exited;
      clearTimeout(timer);
      if (!options.dir) await rm(dir, { recursive: true, force: true });
      return result;
    },
  };
  return harness;
}

/** Polls until check() returns a truthy value. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** True while the process exists and is not a zombie. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
