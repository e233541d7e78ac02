// The HTTP API, compatible with gokrazy's (status.go / supervise.go there): GET /,
// GET /status?path= (X-Gokrazy-Status, X-Gokrazy-GOARCH, cookie gokrazy_xsrf),
// POST /restart and /stop (path, xsrftoken; 303 to /status), GET /log?path=&stream=stdout|stderr|both
// (text, or Server-Sent Events with Accept: text/event-stream).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { messageOf } from '../common/index.js';
import { AUTH_USER, XSRF_COOKIE, checkBasicAuth, cookieValue } from './auth.js';
import type { XsrfTokens } from './auth.js';
import { logSource } from './log-source.js';
import { overviewPage, statusPage } from './page.js';
import { countUnreapedOrphans } from './pid1.js';
import type { PageContext } from './page.js';
import { ActionForm, HttpError, LogQuery, StatusQuery, formValues, validate, wantsEventStream, wantsJson } from './request.js';
import type { Service } from './service.js';
import type { Supervisor } from './supervisor.js';

export interface ApiOptions {
  supervisor: Supervisor;
  hostname: string;
  goarch: string;
  password: () => string;
  xsrf: XsrfTokens;
  /** True when we run as PID 1: GET / (JSON) reports unreaped zombies. */
  pid1?: boolean;
  /** SSE keep-alive comment interval. */
  keepAliveMs?: number;
}

/** Where a request came from: the Unix socket is root-only and skips basic auth. */
export interface RequestOrigin {
  trusted: boolean;
}

const SECURITY_HEADERS = {
  'X-Frame-Options': 'DENY', // the start/stop buttons must not be clickjacked
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS, ...headers });
  res.end(text.endsWith('\n') ? text : `${text}\n`);
}

function sendJson(res: ServerResponse, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'Content-Type': 'application/json', ...SECURITY_HEADERS, ...headers });
  res.end(`${JSON.stringify(value)}\n`);
}

function sendHtml(res: ServerResponse, html: string, nonce: string, headers: Record<string, string>): void {
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    'Cache-Control': 'no-store',
    ...SECURITY_HEADERS,
    ...headers,
  });
  res.end(html);
}

type Handler = (api: ApiOptions, req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** Reuses a still-valid token from the cookie so other open tabs keep working. */
function xsrfFor(xsrf: XsrfTokens, req: IncomingMessage): { token: string; cookie: string } {
  const existing = cookieValue(req.headers.cookie, XSRF_COOKIE);
  const token = existing && xsrf.valid(existing) ? existing : xsrf.issue();
  return { token, cookie: `${XSRF_COOKIE}=${token}; Path=/; Max-Age=86400; HttpOnly; SameSite=Strict` };
}

function pageContext(api: ApiOptions, token: string): PageContext {
  return { hostname: api.hostname, goarch: api.goarch, xsrfToken: token, nonce: randomBytes(16).toString('base64') };
}

function findService(supervisor: Supervisor, path: string): Service {
  const service = supervisor.find(path);
  if (!service) throw new HttpError(404, `service not found: ${path}`);
  return service;
}

const overview: Handler = async (api, req, res) => {
  const services = api.supervisor.services.map((s) => s.status());
  const { token, cookie } = xsrfFor(api.xsrf, req);
  if (wantsJson(req)) {
    // As PID 1 we inherit orphans we cannot reap (see pid1.ts): say how many.
    const zombies = api.pid1 ? { UnreapedZombies: await countUnreapedOrphans(api.supervisor).catch(() => -1) } : {};
    sendJson(res, { Hostname: api.hostname, GOARCH: api.goarch, Services: services, ...zombies }, { 'Set-Cookie': cookie });
    return;
  }
  const ctx = pageContext(api, token);
  sendHtml(res, overviewPage(ctx, services), ctx.nonce, { 'Set-Cookie': cookie });
};

const status: Handler = async (api, req, res, url) => {
  const { path } = validate(StatusQuery, await formValues(req, url));
  const { token, cookie } = xsrfFor(api.xsrf, req);
  const service = api.supervisor.find(path);
  if (!service) {
    sendText(res, 404, 'service not found', { 'Set-Cookie': cookie });
    return;
  }
  const s = service.status();
  const headers = {
    'Set-Cookie': cookie,
    'X-Gokrazy-Status': s.Stopped ? 'stopped' : 'started',
    'X-Gokrazy-GOARCH': api.goarch,
  };
  if (wantsJson(req)) {
    sendJson(res, s, headers);
    return;
  }
  const ctx = pageContext(api, token);
  sendHtml(res, statusPage(ctx, s), ctx.nonce, headers);
};

const action: Handler = async (api, req, res, url) => {
  if (req.method !== 'POST') throw new HttpError(405, 'expected a POST request');
  const form = validate(ActionForm, await formValues(req, url));
  const cookieToken = cookieValue(req.headers.cookie, XSRF_COOKIE);
  if (!cookieToken) throw new HttpError(403, `XSRF cookie missing: GET /status?path=… first and send its ${XSRF_COOKIE} cookie`);
  if (!api.xsrf.check(cookieToken, form.xsrftoken)) throw new HttpError(403, 'XSRF token mismatch: the xsrftoken field must equal the gokrazy_xsrf cookie');
  const service = findService(api.supervisor, form.path);
  const signal = form.signal === 'kill' ? 'SIGKILL' : 'SIGTERM';
  if (url.pathname === '/restart') service.restart(signal);
  else void service.stop(signal);
  res.writeHead(303, { Location: `/status?${new URLSearchParams({ path: form.path }).toString()}`, ...SECURITY_HEADERS });
  res.end();
};

const log: Handler = async (api, req, res, url) => {
  const query = validate(LogQuery, await formValues(req, url));
  const service = findService(api.supervisor, query.path);
  const sse = wantsEventStream(req);
  const follow = sse || query.follow === '1' || query.follow === 'true';
  res.writeHead(200, {
    'Content-Type': sse ? 'text/event-stream; charset=utf-8' : 'text/plain; charset=utf-8',
    'Cache-Control': 'no-cache',
    'X-Accel-Buffering': 'no',
    ...SECURITY_HEADERS,
  });
  // Send the headers now: an empty log must still answer (clients time out otherwise).
  res.flushHeaders();
  const send = logLineWriter(res, sse);
  const { snapshot, subscribe } = logSource(service, query.stream);
  for (const line of snapshot) send(line);
  if (!follow) {
    res.end();
    return;
  }
  const unsubscribe = subscribe(send);
  const keepAlive = setInterval(() => res.write(sse ? ': keep-alive\n\n' : ''), api.keepAliveMs ?? 15_000);
  await new Promise<void>((resolve) => res.once('close', () => resolve()));
  clearInterval(keepAlive);
  unsubscribe();
};

/** Writes one log line as text or as an SSE event. */
function logLineWriter(res: ServerResponse, sse: boolean): (line: string) => void {
  // SSE (WHATWG HTML §9.2): one `data:` field per line, events end with a blank line.
  const format = sse ? (line: string) => `data: ${line}\n\n` : (line: string) => `${line}\n`;
  return (line) => {
    // A reader that stopped reading is cut off rather than buffered without bound.
    if (res.writableLength > 1024 * 1024) {
      res.destroy();
      return;
    }
    res.write(format(line));
  };
}

const ROUTES: Record<string, Handler> = { '/': overview, '/status': status, '/restart': action, '/stop': action, '/log': log };

/** Answers a request no handler may see (not authorised, no such path, wrong method); false if none applies. */
function rejectRequest(api: ApiOptions, req: IncomingMessage, res: ServerResponse, url: URL, origin: RequestOrigin): boolean {
  if (!origin.trusted && !checkBasicAuth(req.headers.authorization, api.password())) {
    req.resume();
    sendText(res, 401, `authorization required: HTTP basic auth as user ${AUTH_USER} with the password from gokr-pw.txt`, {
      'WWW-Authenticate': 'Basic realm="gokrazy"',
    });
    return true;
  }
  if (!Object.hasOwn(ROUTES, url.pathname)) {
    req.resume();
    sendText(res, 404, `not found: ${url.pathname}`);
    return true;
  }
  if (url.pathname !== '/restart' && url.pathname !== '/stop' && req.method !== 'GET' && req.method !== 'HEAD') {
    req.resume();
    sendText(res, 405, `${req.method} not allowed on ${url.pathname}`, { Allow: 'GET' });
    return true;
  }
  return false;
}

export function createApi(options: ApiOptions): (req: IncomingMessage, res: ServerResponse, origin: RequestOrigin) => void {
  return (req, res, origin) => {
    const url = new URL(req.url ?? '/', 'http://device');
    if (rejectRequest(options, req, res, url, origin)) return;
    ROUTES[url.pathname]!(options, req, res, url).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendText(res, status, messageOf(err));
    });
  };
}
