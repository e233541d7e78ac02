// wget / fetch against loopback HTTP and HTTPS servers the test runs.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuiltin } from '../helpers/builtin-ctx.js';
import { fetch, wget } from '../../src/shell/builtins/wget.js';

const BIG = Buffer.alloc(3 << 20, 'x');

function handler(req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  if (url === '/' || url === '/file.txt') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`hello from ${url}\n`);
  } else if (url === '/redirect') {
    res.writeHead(302, { location: '/file.txt' });
    res.end();
  } else if (url.startsWith('/loop')) {
    res.writeHead(301, { location: `/loop${url.length}` });
    res.end();
  } else if (url === '/big.bin') {
    res.writeHead(200, { 'content-length': BIG.length });
    res.end(BIG);
  } else if (url === '/header') {
    res.writeHead(200);
    res.end(`${req.headers['x-token'] ?? 'none'}\n`);
  } else if (url === '/slow') {
    res.writeHead(200);
    res.write('partial');
    // never ends
  } else {
    res.writeHead(404, 'Not Found');
    res.end('nope\n');
  }
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

describe('wget and fetch', () => {
  let server: Server;
  let base = '';
  let dir = '';
  beforeAll(async () => {
    server = createServer(handler);
    base = `http://127.0.0.1:${await listen(server)}`;
    dir = await mkdtemp(join(tmpdir(), 'bg-wget-'));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('fetch writes the body to stdout', async () => {
    const r = await runBuiltin(fetch, ['-q', `${base}/file.txt`]);
    expect(r).toEqual({ code: 0, stdout: 'hello from /file.txt\n', stderr: '' });
  });

  it('wget saves to a file named after the URL in the current directory', async () => {
    const r = await runBuiltin(wget, [`${base}/file.txt`], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`Connecting to 127.0.0.1:${base.split(':')[2]}\nsaving to 'file.txt'\n'file.txt' saved\n`);
    expect(await readFile(join(dir, 'file.txt'), 'utf8')).toBe('hello from /file.txt\n');
    const root = await runBuiltin(wget, ['-q', `${base}/`], { cwd: dir });
    expect(root.code).toBe(0);
    expect(await readFile(join(dir, 'index.html'), 'utf8')).toBe('hello from /\n');
  });

  it('-O - writes to stdout, -O FILE to that file; large bodies arrive whole', async () => {
    const out = await runBuiltin(wget, ['-q', '-O', '-', `${base}/file.txt`]);
    expect(out.stdout).toBe('hello from /file.txt\n');
    const big = await runBuiltin(wget, ['-q', '-O', 'big', `${base}/big.bin`], { cwd: dir });
    expect(big.code).toBe(0);
    expect((await stat(join(dir, 'big'))).size).toBe(BIG.length);
  });

  it('follows redirects, and gives up on a redirect loop', async () => {
    expect((await runBuiltin(fetch, ['-q', `${base}/redirect`])).stdout).toBe('hello from /file.txt\n');
    const loop = await runBuiltin(fetch, ['-q', `${base}/loop`]);
    expect(loop.code).toBe(1);
    expect(loop.stderr).toBe('fetch: too many redirects (more than 10)\n');
  });

  it('a non-2xx answer is exit 1 with the status line and no file', async () => {
    const r = await runBuiltin(wget, ['-q', `${base}/missing.txt`], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('wget: server returned error: HTTP/1.1 404 Not Found\n');
    await expect(stat(join(dir, 'missing.txt'))).rejects.toThrow();
  });

  it('--header is sent; -S prints the response headers', async () => {
    const r = await runBuiltin(fetch, ['-S', '--header', 'X-Token: abc', `${base}/header`]);
    expect(r.stdout).toBe('abc\n');
    expect(r.stderr).toContain('  HTTP/1.1 200 OK\n');
  });

  it('connection refused, bad URLs, unwritable files and timeouts are clear errors', async () => {
    const probe = createServer();
    const port = await listen(probe);
    await new Promise((r) => probe.close(r));
    const refused = await runBuiltin(wget, ['-q', `http://127.0.0.1:${port}/`]);
    expect(refused).toMatchObject({ code: 1, stderr: "wget: can't connect to remote host (127.0.0.1): Connection refused\n" });
    const badUrl = await runBuiltin(wget, ['ftp://127.0.0.1/x']);
    expect(badUrl).toMatchObject({ code: 1, stderr: 'wget: not an http or https url: ftp://127.0.0.1/x\n' });
    const noFile = await runBuiltin(wget, ['-q', '-O', '/nonexistent-dir/x', `${base}/file.txt`]);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toMatch(/^wget: can't open '\/nonexistent-dir\/x': .*ENOENT/);
    const slow = await runBuiltin(fetch, ['-q', '-T', '0.3', `${base}/slow`]);
    expect(slow.code).toBe(1);
    expect(slow.stderr).toContain('timed out');
    expect((await runBuiltin(wget, [])).code).toBe(2);
    expect((await runBuiltin(wget, ['-T', 'abc', base])).code).toBe(2);
  });
});

describe('wget over https', () => {
  let server: Server | undefined;
  let base = '';
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bg-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
        '-subj', '/CN=localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    } catch {
      return; // no openssl: the https tests are skipped below
    }
    server = createHttpsServer({ key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) }, handler);
    base = `https://127.0.0.1:${await listen(server)}`;
  });
  afterAll(async () => {
    if (server) await new Promise((r) => server!.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses an untrusted certificate, accepts it with --no-check-certificate', async (t) => {
    if (!server) return t.skip();
    const refused = await runBuiltin(fetch, ['-q', `${base}/file.txt`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^fetch: .*self[- ]signed/i);
    const ok = await runBuiltin(fetch, ['-q', '--no-check-certificate', `${base}/file.txt`]);
    expect(ok).toEqual({ code: 0, stdout: 'hello from /file.txt\n', stderr: '' });
  });
});
