// Target 4: authorized_keys lines. While the daemon runs, the file is rewritten (in
// place or by an atomic rename) with the real key line plus random and mutated lines:
// bad base64, unknown or mismatched types, garbage options (from=, command=,
// expiry-time=, permitopen=, unterminated quotes …), very long lines, control
// characters. The daemon re-reads the file before each authentication, so every
// rewrite is followed by a login with the real key (+ `echo ok`), which must work
// within 5 s, and by a warning in the log naming the file (each rewrite carries at
// least one line that must be refused). The real key line is never altered and no
// other line carries its base64, so a refused login is the daemon's fault. The
// original file is restored at the end.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { connect, exec } from '../lib/daemon.mjs';
import { budgetFor, internalErrors, logSince, preview, probeAlive, report } from './common.mjs';
import { Rng } from './random.mjs';

const sshString = (data) => {
  const body = Buffer.isBuffer(data) ? data : Buffer.from(data);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
};

const TYPES = ['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com', 'ssh-dss', 'ssh-foo', 'ssh-ed25519-cert-v01@openssh.com', 'rsa-sha2-512', '', 'SSH-ED25519'];

export class KeyGen {
  constructor(rng, realBlob) {
    this.rng = rng;
    this.realBlob = realBlob;
  }

  /** A base64 blob of `type` built from random bytes (well formed for ed25519/rsa). */
  blob(type) {
    const { rng } = this;
    const bytes = (n) => rng.bytes(n);
    switch (type) {
      case 'ssh-ed25519': return Buffer.concat([sshString(type), sshString(bytes(rng.pick([32, 32, 31, 33, 0])))]);
      case 'ssh-rsa': {
        const n = Buffer.concat([Buffer.from([0x00, 0xc1]), bytes(rng.pick([255, 127, 511, 8]))]);
        return Buffer.concat([sshString(type), sshString(Buffer.from([1, 0, 1])), sshString(n)]);
      }
      case 'ecdsa-sha2-nistp256': return Buffer.concat([sshString(type), sshString('nistp256'), sshString(Buffer.concat([Buffer.from([4]), bytes(64)]))]);
      case 'sk-ssh-ed25519@openssh.com': return Buffer.concat([sshString(type), sshString(bytes(32)), sshString(rng.pick(['ssh:', 'ssh:x', '', 'http://q']))]);
      default: return Buffer.concat([sshString(rng.chance(0.5) ? type : rng.pick(TYPES)), bytes(rng.int(0, 80))]);
    }
  }

  base64(type) {
    const { rng } = this;
    let b64 = this.blob(type).toString('base64');
    b64 = rng.weighted([
      [6, () => b64],
      [1, () => b64.slice(0, rng.int(0, b64.length))],
      [1, () => b64.replace(/=+$/, '') + rng.pick(['=', '==', '===', '!', '*', '-', '_'])],
      [1, () => `${b64.slice(0, 10)}${rng.pick([' ', '\t', '%', 'é', '\u0000'.replace('\u0000', '\u0001')])}${b64.slice(10)}`],
      [1, () => rng.string(rng.int(1, 200), 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=')],
      [1, () => randomBase64Like(rng)],
    ])();
    if (b64.includes(this.realBlob)) return 'AAAA';
    return b64;
  }

  option() {
    const { rng } = this;
    const q = () => rng.string(rng.int(0, 20), 'qzjk0123456789.*?!,/:[]-_ ');
    return rng.weighted([
      [3, () => rng.pick(['no-pty', 'restrict', 'no-port-forwarding', 'port-forwarding', 'pty', 'no-agent-forwarding', 'no-X11-forwarding', 'no-user-rc', 'cert-authority', 'no-touch-required', 'verify-required', 'unknown-option', 'NO-PTY'])],
      [3, () => `from="${rng.pick(['127.0.0.1', '10.0.0.0/8', '10.0.0.0/33', '!*', '*', '', '!', '::1/129', 'fe80::/10', '1.2.3.4/-1', q()])}"`],
      [2, () => `command="${rng.pick(['echo forced', 'true', '', 'echo \\"quoted\\"', q()])}"`],
      [2, () => `expiry-time="${rng.pick(['20991231', '19700101', '209912312359', '20991231235959Z', '20241301', '20240230', 'garbage', '', '2099-12-31', '99999999999999', q()])}"`],
      [2, () => `permitopen="${rng.pick(['localhost:22', '*:*', '[::1]:80', 'host:0', 'host:65536', 'host', ':', '', q()])}"`],
      [1, () => `environment="${rng.pick(['A=B', 'PATH=/x', '=', ''])}"`],
      [1, () => `${rng.pick(['from', 'command', 'expiry-time', 'permitopen', 'principals', 'tunnel'])}=${rng.pick(['"unterminated', 'noquotes', '"', '', '"a"b', '"a\\"'])}`],
      [1, () => rng.pick([',', ',,', '=', '"', 'no-pty,', ',no-pty', 'a b', 'a=', 'x'.repeat(rng.int(100, 5000))])],
    ])();
  }

  /** A line that the parser must refuse (so a warning must appear). */
  surelyBad() {
    const { rng } = this;
    return rng.pick([
      `ssh-foo ${this.blob('ssh-foo').toString('base64')} unknown-type`,
      `ssh-ed25519 not!base64 bad-base64`,
      `from="10.0.0.0/33" ssh-ed25519 ${this.blob('ssh-ed25519').toString('base64')} bad-cidr`,
      `expiry-time="garbage" ssh-ed25519 ${this.blob('ssh-ed25519').toString('base64')} bad-expiry`,
      `command="unterminated ssh-ed25519 ${this.blob('ssh-ed25519').toString('base64')}`,
      'justoneword',
    ]);
  }

  line() {
    const { rng } = this;
    const type = rng.pick(TYPES);
    const parts = [];
    if (rng.chance(0.5)) {
      const n = rng.int(1, 4);
      const opts = [];
      for (let i = 0; i < n; i++) opts.push(this.option());
      parts.push(opts.join(rng.chance(0.9) ? ',' : rng.pick([', ', ',,', ' '])));
    }
    parts.push(type, this.base64(type));
    if (rng.chance(0.6)) parts.push(rng.pick(['user@host', 'comment with spaces', 'é中🙂', '#', '\t', 'x'.repeat(rng.int(1, 2000))]));
    let line = parts.join(rng.chance(0.9) ? ' ' : rng.pick(['\t', '  ', ' \t ']));
    line = rng.weighted([
      [8, () => line],
      [1, () => `#${line}`],
      [1, () => `  ${line}\r`],
      [1, () => `\ufeff${line}`],
      [1, () => rng.pick(['', ' ', '\t', '#', '\r', '\x0b\x0c', rng.string(rng.int(1, 100), 'qzjk\x01\x02\x1b\x7f '), 'x'.repeat(rng.int(10_000, 120_000))])],
      [1, () => line.slice(0, rng.int(0, line.length))],
    ])();
    return line.replace(/\n/g, ' ');
  }
}

function randomBase64Like(rng) {
  return rng.bytes(rng.int(1, 120)).toString('base64').replace(/[A-Z]/, '\u00e9');
}

export async function fuzzAuthorizedKeys({ res, daemon, work, quick, seed }) {
  const rng = Rng.forTarget(seed, 'authorized-keys');
  const budget = budgetFor(quick, { quickMax: 80, fullMax: 1500 });
  const original = readFileSync(work.authorizedKeys, 'utf8');
  const realLine = original.split('\n').find((l) => l.trim() !== '');
  const realBlob = realLine.split(/\s+/)[1];
  const gen = new KeyGen(rng, realBlob);
  const logStart = daemon.log().length;
  let hangs = 0;
  const hangExamples = [];
  let refusedLogins = 0;
  const refusedExamples = [];
  let noWarning = 0;
  const noWarningExamples = [];
  let lines = 0;
  let warnings = 0;
  const loginMs = [];
  try {
    while (budget.more()) {
      const others = [];
      const n = rng.weighted([[3, 1], [3, 3], [2, 8], [1, 20]]);
      for (let i = 0; i < n; i++) others.push(gen.line());
      others.splice(rng.int(0, others.length), 0, gen.surelyBad());
      const file = [...others];
      file.splice(rng.int(0, file.length), 0, realLine);
      const text = file.join(rng.chance(0.9) ? '\n' : '\r\n') + (rng.chance(0.8) ? '\n' : '');
      lines += others.length;
      budget.tried++;
      if (rng.chance(0.5)) {
        writeFileSync(work.authorizedKeys, text);
      } else {
        const tmp = `${work.authorizedKeys}.fuzz-${randomBytes(4).toString('hex')}`;
        writeFileSync(tmp, text);
        renameSync(tmp, work.authorizedKeys);
      }
      const logAt = daemon.log().length;
      const started = Date.now();
      let client;
      try {
        client = await connect(daemon, work, { timeoutMs: 5000 });
        const r = await exec(client, 'echo ok', { timeoutMs: Math.max(200, 5000 - (Date.now() - started)) });
        loginMs.push(Date.now() - started);
        if (r.stdout !== 'ok\n') throw new Error(`echo ok gave ${preview(r)}`);
      } catch (err) {
        if (/not done within|timed out/i.test(err.message)) {
          hangs++;
          hangExamples.push(`seed ${seed} file #${budget.tried}: ${err.message}`);
        } else {
          refusedLogins++;
          refusedExamples.push(`seed ${seed} file #${budget.tried} (${preview(text, 300)}): ${err.message}`);
        }
      } finally {
        client?.end();
      }
      const said = logSince(daemon, logAt);
      const found = said.split('\n').filter((l) => l.includes(`${work.authorizedKeys}:`) && /warn/i.test(l)).length;
      warnings += found;
      if (found === 0) {
        noWarning++;
        noWarningExamples.push(`file #${budget.tried}: ${preview(text, 200)}`);
      }
    }
  } finally {
    writeFileSync(work.authorizedKeys, original);
  }
  const ms = budget.elapsedMs();
  const logged = internalErrors(logSince(daemon, logStart));
  const alive = await probeAlive(daemon, work);
  loginMs.sort((a, b) => a - b);
  report(res, {
    name: 'authorized_keys', tried: budget.tried, ms, hangs, hangExamples, alive,
    extraFigures: [
      ['random lines written', lines],
      ['warnings logged', warnings],
      ['login + echo after a rewrite (median / max)', `${loginMs[Math.floor(loginMs.length / 2)] ?? '-'} ms / ${loginMs.at(-1) ?? '-'} ms`],
    ],
    extraChecks: [
      ['the real key still logs in after every rewrite', refusedLogins === 0, refusedLogins ? refusedExamples.slice(0, 2).join(' | ') : `${budget.tried} of ${budget.tried}`],
      ['every rewrite produced a warning naming the file and line', noWarning === 0, noWarning ? `${noWarning} without: ${noWarningExamples.slice(0, 2).join(' | ')}` : 'yes'],
      ['no internal error in the daemon log', logged.length === 0, logged.slice(0, 3).join(' | ') || 'none'],
    ],
  });
}
