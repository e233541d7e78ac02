// wget / fetch: HTTP(S) GET to a file or stdout (busybox wget(1) subset) over
// node:http / node:https. Follows a bounded number of redirects; a non-2xx answer is
// exit 1 with the status line, as busybox says it.
import { openFileWritable } from '../files/index.js';
import type { OpenFile } from '../files/index.js';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Writable } from 'node:stream';
import type { Builtin, BuiltinContext } from '../types.js';
import { OptionError, parseOptions } from '../options.js';
import { BrokenPipe, write, errnoCode } from '../../os/index.js';
import { fail } from './io.js';

const MAX_REDIRECTS = 10;

function usage(name: string): string {
  const toStdout = name === 'fetch';
  return `Usage: ${name} [-q] [-O FILE] [-T SECS] [-S] [--header 'H: V'] [--no-check-certificate] URL
Download URL (http:// or https://) ${toStdout ? 'to stdout' : 'to a file named after the URL (index.html for /)'}.

  -O FILE                  write to FILE; '-O -' writes to stdout${toStdout ? ' (the default)' : ''}
  -q                       quiet: no progress lines on stderr
  -T SECS                  network timeout (default 60)
  -S                       print the response headers on stderr
  --header 'NAME: VALUE'   extra request header (repeatable)
  --no-check-certificate   accept any TLS certificate
  --help                   this text
Follows up to ${MAX_REDIRECTS} redirects. Exit 1 on a non-2xx answer or a network error.`;
}

class WgetError extends Error {}

function fileNameFromUrl(url: URL): string {
  const last = decodeURIComponent(url.pathname.split('/').pop() ?? '');
  return last === '' || last === '.' || last === '..' ? 'index.html' : last;
}

interface FetchOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  insecure: boolean;
  signal: AbortSignal;
  /** Set when the idle timeout fired (the body stream then fails with "aborted"). */
  timedOut: boolean;
}

/** One GET; resolves with the response (body not yet read). */
function get(url: URL, opts: FetchOptions): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const requestFn = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = requestFn(
      url,
      {
        method: 'GET',
        headers: { 'user-agent': 'breakglass-wget', accept: '*/*', ...opts.headers },
        signal: opts.signal,
        ...(url.protocol === 'https:' ? { rejectUnauthorized: !opts.insecure } : {}),
      },
      resolve,
    );
    req.setTimeout(opts.timeoutMs, () => {
      opts.timedOut = true;
      req.destroy(new WgetError('download timed out'));
    });
    req.once('error', reject);
    req.end();
  });
}

function describeNetError(err: unknown, url: URL): string {
  const code = errnoCode(err);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `bad address '${url.hostname}'`;
  if (code === 'ECONNREFUSED') return `can't connect to remote host (${url.hostname}): Connection refused`;
  return err instanceof Error ? err.message : String(err);
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WgetError(`not an http or https url: ${text}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WgetError(`not an http or https url: ${text}`);
  return url;
}

async function copyBody(res: IncomingMessage, out: Writable, signal: AbortSignal): Promise<number> {
  let bytes = 0;
  for await (const chunk of res) {
    if (signal.aborted) break;
    bytes += (chunk as Buffer).length;
    await write(out, chunk as Buffer);
  }
  return bytes;
}

/** Flushes what was written, then closes the file (errors of either reject). */
async function closeFile(stream: Writable, file: OpenFile): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve());
    });
  } finally {
    await file.close();
  }
}

interface DownloadRequest {
  url: string;
  /** -O FILE; undefined is the built-in's default (a file named after the URL, or stdout). */
  output: string | undefined;
  quiet: boolean;
  showHeaders: boolean;
  fetch: FetchOptions;
}

/** The command line as a request; a number is the exit code (usage, --help, a bad value). */
async function parseDownloadArgs(name: string, args: string[], ctx: BuiltinContext): Promise<DownloadRequest | number> {
  let opts;
  try {
    opts = parseOptions(args, { flags: 'qS', values: 'OTU', long: { header: true, 'no-check-certificate': false, quiet: false, 'output-document': true } });
    if (opts.has('help')) {
      await write(ctx.stdout, `${usage(name)}\n`);
      return 0;
    }
    if (opts.operands.length !== 1) throw new OptionError('need exactly one URL');
  } catch (err) {
    if (err instanceof OptionError) return fail(ctx.stderr, name, `${err.message}\nTry '${name} --help'.`, 2);
    throw err;
  }
  const headers: Record<string, string> = {};
  for (const header of opts.all('header')) {
    const colon = header.indexOf(':');
    if (colon < 1) return fail(ctx.stderr, name, `bad --header '${header}': use 'Name: value'`, 2);
    headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
  }
  if (opts.get('U')) headers['user-agent'] = opts.get('U')!;
  const timeoutSecs = Number(opts.get('T') ?? 60);
  if (!Number.isFinite(timeoutSecs) || timeoutSecs <= 0) return fail(ctx.stderr, name, `bad -T '${opts.get('T')}': seconds, greater than 0`, 2);
  return {
    url: opts.operands[0]!,
    output: opts.get('O') ?? opts.get('output-document'),
    quiet: opts.has('q') || opts.has('quiet'),
    showHeaders: opts.has('S'),
    fetch: { headers, timeoutMs: timeoutSecs * 1000, insecure: opts.has('no-check-certificate'), signal: ctx.signal, timedOut: false },
  };
}

/** A progress line on stderr unless -q; a closed stderr does not stop the download. */
async function say(request: DownloadRequest, ctx: BuiltinContext, text: string): Promise<void> {
  if (!request.quiet) await write(ctx.stderr, `${text}\n`).catch(() => undefined);
}

/** -S: the status line and headers as received, indented as busybox does. */
async function printHeaders(res: IncomingMessage, ctx: BuiltinContext): Promise<void> {
  await write(ctx.stderr, `  HTTP/${res.httpVersion} ${res.statusCode ?? 0} ${res.statusMessage ?? ''}\n`);
  for (let i = 0; i < res.rawHeaders.length; i += 2) await write(ctx.stderr, `  ${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\n`);
}

/** GETs the URL, following redirects; resolves with the final 2xx response and its URL. */
async function getFollowingRedirects(request: DownloadRequest, ctx: BuiltinContext): Promise<{ url: URL; res: IncomingMessage }> {
  let url = parseUrl(request.url);
  for (let hops = 0; ; hops++) {
    await say(request, ctx, `Connecting to ${url.host}`);
    const res = await get(url, request.fetch);
    const status = res.statusCode ?? 0;
    if (request.showHeaders) await printHeaders(res, ctx);
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      if (hops >= MAX_REDIRECTS) throw new WgetError(`too many redirects (more than ${MAX_REDIRECTS})`);
      url = parseUrl(new URL(res.headers.location, url).toString());
      continue;
    }
    if (status < 200 || status >= 300) {
      res.resume();
      throw new WgetError(`server returned error: HTTP/${res.httpVersion} ${status} ${res.statusMessage ?? ''}`.trimEnd());
    }
    return { url, res };
  }
}

/** Writes the body to `target` ('-' is stdout) through ctx.fs. */
async function saveBody(res: IncomingMessage, target: string, request: DownloadRequest, ctx: BuiltinContext): Promise<void> {
  if (target === '-') {
    await say(request, ctx, 'writing to stdout');
    await copyBody(res, ctx.stdout, ctx.signal);
    return;
  }
  const opened = await ctx.fs.open(ctx.resolve(target), 'w').catch((err: unknown) => {
    res.destroy();
    throw new WgetError(`can't open '${target}': ${err instanceof Error ? err.message : String(err)}`);
  });
  const file = openFileWritable(opened);
  await say(request, ctx, `saving to '${target}'`);
  try {
    await copyBody(res, file, ctx.signal);
  } finally {
    await closeFile(file, opened);
  }
  if (!ctx.signal.aborted) await say(request, ctx, `'${target}' saved`);
}

async function runDownload(name: string, args: string[], ctx: BuiltinContext): Promise<number> {
  const request = await parseDownloadArgs(name, args, ctx);
  if (typeof request === 'number') return request;
  let response: { url: URL; res: IncomingMessage };
  try {
    response = await getFollowingRedirects(request, ctx);
  } catch (err) {
    if (ctx.signal.aborted) return 130;
    if (err instanceof WgetError) return fail(ctx.stderr, name, err.message);
    return fail(ctx.stderr, name, describeNetError(err, new URL(request.url.startsWith('http') ? request.url : 'http://invalid')));
  }
  const { url, res } = response;
  const target = request.output ?? (name === 'fetch' ? '-' : fileNameFromUrl(url));
  try {
    await saveBody(res, target, request, ctx);
  } catch (err) {
    res.destroy();
    if (err instanceof BrokenPipe) throw err;
    if (ctx.signal.aborted) return 130;
    if (err instanceof WgetError) return fail(ctx.stderr, name, err.message);
    if (request.fetch.timedOut) return fail(ctx.stderr, name, 'download timed out');
    return fail(ctx.stderr, name, `download failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return ctx.signal.aborted ? 130 : 0;
}

export const wget: Builtin = {
  name: 'wget',
  summary: 'download a URL over http/https to a file (-O - for stdout)',
  usage: usage('wget'),
  run: (args, ctx) => runDownload('wget', args, ctx),
};

export const fetch: Builtin = {
  name: 'fetch',
  summary: 'download a URL over http/https to stdout',
  usage: usage('fetch'),
  run: (args, ctx) => runDownload('fetch', args, ctx),
};
