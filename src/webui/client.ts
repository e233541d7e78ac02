// A client of the gokrazy-compatible HTTP API (breakglass-init's or a real gokrazy
// device's): GET /status → X-Gokrazy-Status, X-Gokrazy-GOARCH and the gokrazy_xsrf
// cookie; POST /restart and /stop with that token; GET /log. Over TCP with basic auth
// (the laptop client) or over breakglass-init's Unix socket (the shell's `svc`, `logs`).
import { request } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { BreakglassError, messageOf } from '../common/index.js';
import { errnoCode } from '../os/index.js';

export type WebUiTarget =
  | { kind: 'tcp'; host: string; port: number; password: string }
  | { kind: 'unix'; socketPath: string };

export class WebUiError extends BreakglassError {
  override name = 'WebUiError';
  constructor(
    message: string,
    readonly status: number | undefined,
    context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, context, options);
  }
}

export interface ServiceStatusInfo {
  started: boolean;
  goarch: string | undefined;
  xsrfToken: string | undefined;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function describeTarget(target: WebUiTarget): string {
  if (target.kind === 'unix') return `unix:${target.socketPath}`;
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `http://${host}:${target.port}`;
}

/** The first Set-Cookie value named `name`. */
export function cookieFromHeaders(headers: IncomingHttpHeaders, name: string): string | undefined {
  for (const line of headers['set-cookie'] ?? []) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    if (eq !== -1 && pair!.slice(0, eq).trim() === name) return pair!.slice(eq + 1).trim();
  }
  return undefined;
}

export class WebUiClient {
  private cookie: string | undefined;

  constructor(
    readonly target: WebUiTarget,
    private readonly timeoutMs = 10_000,
  ) {}

  /**
   * Sends one request; resolves with the response stream (status not checked). The
   * timeout covers waiting for the answer and idle gaps in it, except for `streaming`
   * responses (followed logs), which may stay quiet for as long as the service is.
   */
  open(method: string, path: string, headers: Record<string, string> = {}, signal?: AbortSignal, streaming = false): Promise<IncomingMessage> {
    const target = this.target;
    const allHeaders: Record<string, string> = { ...headers };
    if (this.cookie) allHeaders.Cookie = this.cookie;
    if (target.kind === 'tcp') {
      allHeaders.Authorization = `Basic ${Buffer.from(`gokrazy:${target.password}`).toString('base64')}`;
    }
    const where = target.kind === 'tcp' ? { host: target.host, port: target.port } : { socketPath: target.socketPath };
    return new Promise((resolve, reject) => {
      const req = request({ ...where, method, path, headers: allHeaders, ...(signal ? { signal } : {}) }, (res) => {
        if (streaming) req.setTimeout(0);
        resolve(res);
      });
      req.setTimeout(this.timeoutMs, () => req.destroy(new WebUiError(`no answer from ${describeTarget(target)} within ${this.timeoutMs} ms`, undefined, { code: 'ETIMEDOUT' })));
      req.once('error', (err) => reject(this.connectError(err)));
      req.end();
    });
  }

  private connectError(err: Error): Error {
    if (err instanceof WebUiError || err.name === 'AbortError') return err;
    const code = errnoCode(err);
    const where = describeTarget(this.target);
    const why =
      code === 'ECONNREFUSED' ? 'connection refused (is the device up, and is this its web UI port?)'
      : code === 'ENOENT' ? 'no such socket (is breakglass-init running?)'
      : code === 'EACCES' ? 'permission denied'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'unknown host name'
      : code === 'EHOSTUNREACH' || code === 'ENETUNREACH' ? 'host unreachable'
      : messageOf(err);
    return new WebUiError(`cannot reach the web UI at ${where}: ${why}`, undefined, { code }, { cause: err });
  }

  async call(method: string, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
    const res = await this.open(method, path, headers);
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') };
  }

  /** Throws a WebUiError that says what to do for 401/404/others. */
  checkStatus(res: RawResponse, what: string, servicePath?: string): void {
    if (res.status >= 200 && res.status < 400) return;
    const where = describeTarget(this.target);
    if (res.status === 401) {
      throw new WebUiError(`${what}: wrong password for gokrazy@${where}`, 401);
    }
    if (res.status === 404 && servicePath) {
      throw new WebUiError(`${what}: ${where} has no service ${servicePath}`, 404);
    }
    throw new WebUiError(`${what}: unexpected HTTP status ${res.status} from ${where}: ${res.body.trim().slice(0, 200)}`, res.status);
  }

  async status(servicePath: string): Promise<ServiceStatusInfo> {
    const res = await this.call('GET', `/status?${new URLSearchParams({ path: servicePath }).toString()}`);
    this.checkStatus(res, 'status', servicePath);
    const token = cookieFromHeaders(res.headers, 'gokrazy_xsrf');
    if (token) this.cookie = `gokrazy_xsrf=${token}`;
    const header = (name: string): string | undefined => {
      const value = res.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    return { started: header('x-gokrazy-status') === 'started', goarch: header('x-gokrazy-goarch'), xsrfToken: token };
  }

  /** JSON of one service (breakglass-init's and gokrazy's field names). */
  async statusJson(servicePath: string): Promise<Record<string, unknown>> {
    const res = await this.call('GET', `/status?${new URLSearchParams({ path: servicePath }).toString()}`, { Accept: 'application/json', 'Content-Type': 'application/json' });
    this.checkStatus(res, 'status', servicePath);
    return JSON.parse(res.body) as Record<string, unknown>;
  }

  async overview(): Promise<{ Services: Array<Record<string, unknown>> } & Record<string, unknown>> {
    const res = await this.call('GET', '/', { Accept: 'application/json', 'Content-Type': 'application/json' });
    this.checkStatus(res, 'list');
    return JSON.parse(res.body) as { Services: Array<Record<string, unknown>> };
  }

  /** POST /restart or /stop with the XSRF token from a prior status() call. */
  async act(action: 'restart' | 'stop', servicePath: string, xsrfToken?: string): Promise<void> {
    let token = xsrfToken;
    if (!token) token = (await this.status(servicePath)).xsrfToken;
    if (!token) throw new WebUiError(`${action}: no gokrazy_xsrf cookie received from ${describeTarget(this.target)}`, undefined);
    const query = new URLSearchParams({ path: servicePath, xsrftoken: token }).toString();
    const res = await this.call('POST', `/${action}?${query}`);
    this.checkStatus(res, action, servicePath);
  }

  /**
   * Yields /log lines until the server ends the response (text without follow), the
   * caller stops iterating, or `signal` aborts.
   */
  async *logLines(
    servicePath: string,
    stream: 'stdout' | 'stderr' | 'both',
    options: { follow?: boolean; signal?: AbortSignal } = {},
  ): AsyncGenerator<string> {
    const query = new URLSearchParams({ path: servicePath, stream, ...(options.follow ? { follow: '1' } : {}) }).toString();
    let res: IncomingMessage;
    try {
      res = await this.open('GET', `/log?${query}`, {}, options.signal, options.follow === true);
    } catch (err) {
      if (options.signal?.aborted) return;
      throw err;
    }
    if ((res.statusCode ?? 0) >= 300) {
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      this.checkStatus({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }, 'log', servicePath);
    }
    let rest = '';
    try {
      for await (const chunk of res) {
        const lines = (rest + (chunk as Buffer).toString('utf8')).split('\n');
        rest = lines.pop()!;
        for (const line of lines) yield line;
      }
      if (rest) yield rest;
    } catch (err) {
      if (options.signal?.aborted) return;
      throw err;
    } finally {
      res.destroy();
    }
  }
}
