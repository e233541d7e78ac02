// Target 6: raw HTTP requests to breakglass-init's web UI. One init is started with a
// config in WORK (TCP on 127.0.0.1:0, its API socket and password file in WORK, one
// service /user/sleeper). Each input is one TCP connection carrying a random request:
// methods, paths, query strings (path=, stream=, follow=, xsrftoken=, signal=),
// versions, headers (Authorization good / bad / garbage, Content-Length lies bounded
// by 70 KiB, chunked garbage, CL + TE together, huge and many headers), bodies, and
// requests cut short. The client reads until the server closes, or until a response
// head followed by 150 ms of silence, for at most 3 s after its last byte, then
// destroys the socket. A request that got neither an answer nor a close is a hang
// (inputs cut and destroyed by the client on purpose need neither). Afterwards an
// authenticated GET /status?path=/user/sleeper (JSON) must answer 200 with the service
// running, and init must still be alive; init then gets SIGTERM and must stop its
// service and exit.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { sleep, spawnWatched } from '../lib/daemon.mjs';
import { budgetFor, internalErrors, preview, probeAlive, report } from './common.mjs';
import { Rng } from './random.mjs';

const SLEEPER = '/user/sleeper';

/** Starts breakglass-init; resolves once the web UI and API socket are up. */
export async function startInit(dir) {
  mkdirSync(dir, { recursive: true });
  const config = {
    hostname: 'fuzz',
    http: { listen: '127.0.0.1', port: 0, passwordFile: join(dir, 'gokr-pw.txt'), socket: join(dir, 'init.sock') },
    services: [{ path: SLEEPER, command: [process.execPath, '-e', 'setInterval(()=>{},1000)'] }],
    stopGraceMs: 2000,
  };
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  // Ready once the web UI listens and the API socket is up.
  const init = await spawnWatched('breakglass-init', ['--config', configFile], {
    ready: (log) => (/API socket/.test(log) ? /breakglass-init: web UI on 127\.0\.0\.1:(\d+)/.exec(log)?.[1] : undefined),
    stopGraceMs: 10_000,
  });
  const password = readFileSync(join(dir, 'gokr-pw.txt'), 'utf8').trim();
  return { ...init, port: Number(init.ready), password };
}

/** One raw request over TCP; see the header comment for when it counts as answered. */
export function rawRequest(port, chunks, { end = 'fin', cutAt } = {}) {
  return new Promise((resolve) => {
    const sock = netConnect({ host: '127.0.0.1', port });
    let data = Buffer.alloc(0);
    let settled = false;
    let idle;
    let hard;
    const finish = (outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      clearTimeout(hard);
      sock.destroy();
      const head = /^HTTP\/\d\.\d (\d{3})/.exec(data.subarray(0, 20).toString('latin1'));
      resolve({ outcome: head ? 'answered' : outcome, status: head ? Number(head[1]) : null, bytes: data.length, head: data.subarray(0, 200).toString('latin1') });
    };
    sock.on('data', (c) => {
      data = Buffer.concat([data, c]);
      if (data.length > 1 << 20) return finish('answered');
      clearTimeout(idle);
      if (/^HTTP\/\d\.\d \d{3}[^]*?\r\n\r\n/.test(data.toString('latin1'))) idle = setTimeout(() => finish('answered'), 150);
    });
    sock.on('error', () => finish('closed'));
    sock.on('close', () => finish('closed'));
    sock.on('connect', () => {
      let all = Buffer.concat(chunks);
      if (cutAt !== undefined) all = all.subarray(0, cutAt);
      sock.write(all);
      if (end === 'destroy') {
        // Cut on purpose: nothing to wait for.
        setImmediate(() => finish('early'));
        return;
      }
      if (end === 'fin') sock.end();
      hard = setTimeout(() => finish(data.length ? 'answered' : 'hang'), 3000);
    });
  });
}

export class HttpGen {
  constructor(rng, password) {
    this.rng = rng;
    this.password = password;
  }

  auth() {
    const { rng } = this;
    const b64 = (s) => Buffer.from(s).toString('base64');
    return rng.weighted([
      [6, () => `Basic ${b64(`gokrazy:${this.password}`)}`],
      [2, () => `Basic ${b64(`gokrazy:${rng.string(rng.int(0, 30), 'qzjk0123')}`)}`],
      [1, () => `Basic ${b64(`root:${this.password}`)}`],
      [1, () => `Basic ${b64(this.password)}`],
      [1, () => `Basic ${rng.string(rng.int(0, 60), 'ABCxyz019+/=!*% ')}`],
      [1, () => rng.pick(['Basic', 'Basic ', 'Bearer x', 'basic ' + b64(`gokrazy:${this.password}`), 'Digest a=b', `Basic ${'A'.repeat(9000)}`, `Basic ${b64(`gokrazy:${this.password}\0`)}`])],
    ])();
  }

  query() {
    const { rng } = this;
    const params = [];
    const n = rng.int(0, 4);
    for (let i = 0; i < n; i++) {
      params.push(rng.weighted([
        [6, () => `path=${rng.pick([encodeURIComponent(SLEEPER), SLEEPER, '', '/x', 'user', '%2Fuser%2Fsleeper', '/user/sleeper%00', '/' + 'q'.repeat(rng.pick([10, 5000])), '%zz', '/user/sleeper/../sleeper', '/%E9'])}`],
        [3, () => `stream=${rng.pick(['stdout', 'stderr', 'both', '', 'garbage', 'STDOUT', 'stdout&stream=stderr'])}`],
        [2, () => `follow=${rng.pick(['0', '1', 'true', 'false', '', 'yes'])}`],
        [1, () => `xsrftoken=${rng.string(rng.int(0, 300), 'abcdef0123456789')}`],
        [1, () => `signal=${rng.pick(['kill', 'term', '', 'hup', '9'])}`],
        [1, () => rng.pick(['', '&', '=', '==', 'a', '%', '&&path=/x', '+', '%20path=/user/sleeper'])],
      ])());
    }
    return params.length ? `?${params.join('&')}` : rng.pick(['', '', '?', '?&']);
  }

  target() {
    const { rng } = this;
    const path = rng.weighted([
      [6, () => rng.pick(['/', '/status', '/log', '/restart', '/stop'])],
      [2, () => rng.pick(['/favicon.ico', '/nonexistent', '//status', '/status/', '/%2e%2e/', '/STATUS', '/log;x', '/\u00e9', '/%zz', '/status%00'])],
      [1, () => rng.pick(['*', 'http://device/status', 'status', '', ' /', '/' + 'q'.repeat(rng.int(100, 20_000))])],
    ])();
    return path + (rng.chance(0.8) ? this.query() : '');
  }

  /** [chunks, options] for rawRequest. */
  request() {
    const { rng } = this;
    const method = rng.weighted([
      [8, () => rng.pick(['GET', 'POST', 'HEAD'])],
      [2, () => rng.pick(['PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH', 'CONNECT', 'get', 'PROPFIND'])],
      [1, () => rng.pick(['', 'GE T', 'G\x01T', rng.string(rng.int(1, 40), 'QZJK'), 'X'.repeat(5000)])],
    ])();
    const version = rng.weighted([[20, 'HTTP/1.1'], [3, 'HTTP/1.0'], [1, () => rng.pick(['HTTP/2.0', 'HTTP/9.9', 'HTTP/1.1 extra', 'http/1.1', '', 'HTTP/1.'])]]);
    const crlf = rng.chance(0.97) ? '\r\n' : rng.pick(['\n', '\r', '\r\r\n']);
    const lines = [`${method} ${this.target()} ${typeof version === 'function' ? version() : version}`.replace(/ $/, '')];
    if (rng.chance(0.93)) lines.push(`Host: ${rng.chance(0.9) ? '127.0.0.1' : rng.pick(['device', 'fuzz:80', '', 'a b'])}`);
    if (rng.chance(0.05)) lines.push('Host: second');
    if (rng.chance(0.8)) lines.push(`Authorization: ${this.auth()}`);
    if (rng.chance(0.5)) lines.push(`Accept: ${rng.pick(['application/json', 'text/event-stream', '*/*', 'text/html', 'application/json, text/event-stream', ''])}`);
    if (rng.chance(0.2)) lines.push(`Cookie: ${rng.pick(['gokrazy_xsrf=abc', 'gokrazy_xsrf=', 'a=b; gokrazy_xsrf=' + 'x'.repeat(300), '=;;=', 'gokrazy_xsrf'])}`);
    if (rng.chance(0.1)) lines.push(`Connection: ${rng.pick(['close', 'keep-alive', 'upgrade', ''])}`);
    if (rng.chance(0.05)) lines.push('Expect: 100-continue');
    if (rng.chance(0.05)) lines.push(rng.pick(['NoColonHeader', ': empty-name', 'X-Fold: a\r\n  folded', 'X-Ctl: a\x01b', 'X-Nul: a', `X-Big: ${'b'.repeat(rng.int(1000, 20_000))}`]));
    if (rng.chance(0.02)) for (let i = 0; i < rng.int(100, 3000); i++) lines.push(`X-Many-${i}: ${i}`);
    // Body.
    let body = Buffer.alloc(0);
    const bodyKind = rng.weighted([[6, 'none'], [3, 'form'], [1, 'random'], [1, 'big'], [1, 'chunked']]);
    if (bodyKind === 'form') {
      const pairs = [`path=${rng.pick([encodeURIComponent(SLEEPER), '', '/x', 'garbage'])}`, `xsrftoken=${rng.string(rng.int(0, 40), 'abcdef0123456789')}`];
      if (rng.chance(0.3)) pairs.push(`signal=${rng.pick(['kill', 'term', 'x'])}`);
      body = Buffer.from(pairs.join('&'));
    } else if (bodyKind === 'random') body = rng.bytes(rng.size(2000));
    else if (bodyKind === 'big') body = Buffer.alloc(rng.int(60_000, 70_000), 0x61);
    if (bodyKind !== 'none' && rng.chance(0.7)) lines.push(`Content-Type: ${rng.pick(['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8', 'application/json', 'text/plain', 'multipart/form-data; boundary=x'])}`);
    if (bodyKind === 'chunked') {
      lines.push('Transfer-Encoding: chunked');
      if (rng.chance(0.3)) lines.push(`Content-Length: ${rng.int(0, 100)}`);
      body = Buffer.from(rng.pick([
        '5\r\nhello\r\n0\r\n\r\n',
        'zz\r\nhello\r\n0\r\n\r\n',
        'ffffffffffffffff\r\nx\r\n',
        `${(70_000).toString(16)}\r\n${'a'.repeat(100)}`,
        '5\r\nhel',
        '0\r\n\r\n',
        '-1\r\nx\r\n',
        '5;ext=1\r\nhello\r\n0\r\nTrailer: x\r\n\r\n',
      ]));
    } else if (bodyKind !== 'none' || rng.chance(0.1)) {
      const cl = rng.weighted([[5, body.length], [2, () => rng.int(0, body.length)], [2, () => body.length + rng.int(1, 2000)], [1, () => rng.pick(['-1', 'abc', '1e3', '', ' 5', '5, 5', '99999999999999999999'])]]);
      lines.push(`Content-Length: ${typeof cl === 'function' ? cl() : cl}`);
    }
    const headText = lines.join(crlf) + crlf + (rng.chance(0.95) ? crlf : '');
    const chunks = [Buffer.from(headText, 'latin1'), body];
    const total = headText.length + body.length;
    const cutAt = rng.chance(0.08) ? rng.int(0, Math.max(0, total - 1)) : undefined;
    // 'open' (no FIN, like a keep-alive client) only for a complete request whose
    // Content-Length, if any, is the truth: otherwise the server rightly waits for more.
    const cl = /\r?\ncontent-length: ?(.*?)\r?\n/i.exec(headText)?.[1];
    const complete = cutAt === undefined && bodyKind !== 'chunked' && headText.endsWith(crlf + crlf) && crlf === '\r\n' &&
      (cl === undefined ? body.length === 0 : cl === String(body.length));
    let end = rng.weighted([[7, 'fin'], [2, 'open'], [1, 'destroy']]);
    if (end === 'open' && !complete) end = 'fin';
    return { chunks, end, cutAt, summary: `${method.slice(0, 20)} ${lines[0].slice(method.length, method.length + 80)} [${bodyKind}${cutAt !== undefined ? ` cut@${cutAt}` : ''}, ${end}]` };
  }
}

/** A proper authenticated GET /status?path=/user/sleeper with Accept: application/json. */
function statusJson(port, password) {
  return new Promise((resolve) => {
    const auth = Buffer.from(`gokrazy:${password}`).toString('base64');
    const req = httpRequest({ host: '127.0.0.1', port, path: `/status?path=${encodeURIComponent(SLEEPER)}`, headers: { Authorization: `Basic ${auth}`, Accept: 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        clearTimeout(t);
        let json;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, json, raw: body.slice(0, 300) });
      });
    });
    const t = setTimeout(() => {
      req.destroy();
      resolve({ status: null, raw: 'no answer within 5 s' });
    }, 5000);
    req.on('error', (err) => {
      clearTimeout(t);
      resolve({ status: null, raw: err.message });
    });
    req.end();
  });
}

function pidAlive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export async function fuzzHttp({ res, daemon, work, quick, seed }) {
  const rng = Rng.forTarget(seed, 'http');
  const dir = join(work.dir, 'fuzz-init');
  const init = await startInit(dir);
  const budget = budgetFor(quick, { quickMax: 100, fullMax: 2000 });
  const gen = new HttpGen(rng, init.password);
  let hangs = 0;
  const hangExamples = [];
  const outcomes = new Map();
  const statuses = new Map();
  const serverErrors = [];
  let final;
  let servicePid;
  let stopped;
  try {
    const before = await statusJson(init.port, init.password);
    servicePid = before.json?.Pid;
    while (budget.more()) {
      const { chunks, end, cutAt, summary } = gen.request();
      budget.tried++;
      const r = await rawRequest(init.port, chunks, { end, cutAt });
      outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
      if (r.status !== null) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status !== null && r.status >= 500) serverErrors.push(`${summary} → ${preview(r.head, 160)}`);
      if (r.outcome === 'hang') {
        hangs++;
        hangExamples.push(`seed ${seed} request #${budget.tried}: ${preview(summary, 200)}`);
      }
    }
    final = await statusJson(init.port, init.password);
  } finally {
    const initAlive = init.alive();
    stopped = { alive: initAlive, exit: await init.stop() };
  }
  const ms = budget.elapsedMs();
  const pidAfter = final?.json?.Pid;
  const statusOk = final?.status === 200 && final.json && final.json.Stopped === false;
  await sleep(100);
  const leftover = [servicePid, pidAfter].filter((p) => p && pidAlive(p));
  const initErrors = internalErrors(init.log());
  const alive = await probeAlive(daemon, work);
  report(res, {
    name: 'http', tried: budget.tried, ms, hangs, hangExamples, alive,
    extraFigures: [
      ['outcomes', [...outcomes].map(([k, n]) => `${k}×${n}`).join(' ')],
      ['status codes', [...statuses].sort((a, b) => a[0] - b[0]).map(([k, n]) => `${k}×${n}`).join(' ')],
    ],
    extraChecks: [
      ['no 5xx answer', serverErrors.length === 0, serverErrors.slice(0, 3).join(' | ') || 'none'],
      ['init alive; authenticated GET /status?path=/user/sleeper (JSON) answers 200, service running', stopped.alive && statusOk,
        `init alive: ${stopped.alive}; status ${final?.status}; ${final?.json ? `Stopped=${final.json.Stopped} Pid=${final.json.Pid} (before: ${servicePid})` : preview(final?.raw ?? '', 200)}`],
      ['init stops on SIGTERM (exit 0) and leaves no service process', stopped.exit.code === 0 && leftover.length === 0,
        `exit ${JSON.stringify(stopped.exit)}; leftover pids: ${leftover.join(',') || 'none'}`],
      ['no internal error in the init log', initErrors.length === 0, initErrors.slice(0, 3).join(' | ') || 'none'],
    ],
  });
}
