import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAuthorizedKeys, parseExpiryTime, parsePermitOpen, splitOptions } from './authorized-keys.js';

const dir = mkdtempSync(join(tmpdir(), 'ak-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keygen(type: string, name: string): { line: string; fingerprint: string } {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', name, '-f', path]);
  const fingerprint = execFileSync('ssh-keygen', ['-lf', `${path}.pub`]).toString().split(' ')[1]!;
  return { line: readFileSync(`${path}.pub`, 'utf8').trim(), fingerprint };
}

const ed = keygen('ed25519', 'ed');
const ecdsa = keygen('ecdsa', 'ec');
const rsa = keygen('rsa', 'rsa');

describe('parseAuthorizedKeys', () => {
  it('reads ed25519, ecdsa and rsa keys with comments and the fingerprint ssh-keygen prints', () => {
    const { keys, warnings } = parseAuthorizedKeys(`# my keys\n\n${ed.line}\n${ecdsa.line}\r\n  ${rsa.line}\n`);
    expect(warnings).toEqual([]);
    expect(keys.map((k) => [k.line, k.type, k.comment, k.fingerprint])).toEqual([
      [3, 'ssh-ed25519', 'ed', ed.fingerprint],
      [4, 'ecdsa-sha2-nistp256', 'ec', ecdsa.fingerprint],
      [5, 'ssh-rsa', 'rsa', rsa.fingerprint],
    ]);
  });

  it('skips a garbage line with a warning naming its number; the other keys still load', () => {
    const { keys, warnings } = parseAuthorizedKeys(`${ed.line}\nthis is not a key\n${ecdsa.line}\n`);
    expect(keys.map((k) => k.line)).toEqual([1, 3]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.line).toBe(2);
    expect(warnings[0]!.message).toMatch(/skipped/);
  });

  it.each([
    ['ssh-ed25519 !!!notbase64', /not valid base64/],
    ['ssh-dss AAAAB3NzaC1kc3MAAACBAP', /ssh-dss is not supported/],
    [`ssh-rsa ${ed.line.split(' ')[1]}`, /not a ssh-rsa key/],
    [`command="unterminated ${ed.line}`, /no closing quote/],
    [`from=10.0.0.1 ${ed.line}`, /double-quoted/],
    [`no-pty="x" ${ed.line}`, /takes no value/],
    [`command ${ed.line}`, /needs ="value"/],
    [`from="10.0.0.0/40" ${ed.line}`, /bad CIDR/],
    [`expiry-time="tomorrow" ${ed.line}`, /YYYYMMDD/],
    [`permitopen="nocolon" ${ed.line}`, /host:port/],
    [`command="a",command="b" ${ed.line}`, /more than one command/],
    ['ssh-ed25519', /keytype base64-key/],
  ])('rejects %s', (line, message) => {
    const { keys, warnings } = parseAuthorizedKeys(line);
    expect(keys).toEqual([]);
    expect(warnings[0]!.message).toMatch(message);
  });

  it('parses options: from, expiry-time, command with escaped quotes, restrict/pty, permitopen', () => {
    const line = `restrict,pty,from="10.0.0.0/8,!10.0.0.9",expiry-time="20990101Z",command="echo \\"hi, there\\"",permitopen="127.0.0.1:80",permitopen="[::1]:*" ${ed.line}`;
    const { keys, warnings } = parseAuthorizedKeys(line);
    expect(warnings).toEqual([]);
    expect(keys[0]!.options).toEqual({
      from: ['10.0.0.0/8', '!10.0.0.9'],
      expiresAt: Date.UTC(2099, 0, 1),
      command: 'echo "hi, there"',
      pty: true,
      portForwarding: false,
      permitOpen: [
        { host: '127.0.0.1', port: 80 },
        { host: '::1', port: undefined },
      ],
      restricted: true,
      touchRequired: true,
      verifyRequired: false,
      ignored: [],
    });
    expect(keys[0]!.comment).toBe('ed');
  });

  it('no-pty and no-port-forwarding; unknown options are logged and ignored', () => {
    const { keys, warnings } = parseAuthorizedKeys(`no-pty,No-Port-Forwarding,environment="A=b",no-agent-forwarding ${ed.line}`);
    expect(keys[0]!.options).toMatchObject({ pty: false, portForwarding: false, ignored: ['environment'] });
    expect(warnings).toEqual([{ line: 1, message: 'options not supported, ignored: environment' }]);
  });

  it('does not treat Object.prototype names as options', () => {
    const { keys } = parseAuthorizedKeys(`constructor,toString ${ed.line}`);
    expect(keys[0]!.options.ignored).toEqual(['constructor', 'tostring']);
  });
});

describe('robustness', () => {
  it('never throws on random or mangled input; every bad line becomes a warning', () => {
    let seed = 42;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    const alphabet = ' \t",=!*?/\\abcdefghijklmnopqrstuvwxyz-0123456789+ABCDEFssh-ed25519';
    for (let i = 0; i < 500; i++) {
      const base = [ed.line, ecdsa.line, `from="10.0.0.0/8",command="x" ${rsa.line}`][rand(3)]!;
      const cut = rand(base.length);
      const junk = Array.from({ length: rand(20) }, () => alphabet[rand(alphabet.length)]).join('');
      const line = rand(2) ? base.slice(0, cut) + junk + base.slice(cut) : junk;
      const { keys, warnings } = parseAuthorizedKeys(`${line}\n${ed.line}\n`);
      expect(keys.at(-1)!.fingerprint).toBe(ed.fingerprint);
      expect(keys.length + warnings.filter((w) => w.message.endsWith('skipped')).length).toBeGreaterThanOrEqual(line.trim() && !line.trim().startsWith('#') ? 2 : 1);
    }
  });
});

describe('option pieces', () => {
  it('splitOptions keeps commas and spaces inside quotes', () => {
    expect(splitOptions('command="a, b c",no-pty ssh-ed25519 AAAA x')).toEqual({
      options: [
        { name: 'command', value: 'a, b c' },
        { name: 'no-pty', value: undefined },
      ],
      rest: 'ssh-ed25519 AAAA x',
    });
  });

  it.each([
    ['20300102', new Date(2030, 0, 2).getTime()],
    ['203001021304', new Date(2030, 0, 2, 13, 4).getTime()],
    ['20300102130405Z', Date.UTC(2030, 0, 2, 13, 4, 5)],
  ])('expiry-time %s', (text, expected) => {
    expect(parseExpiryTime(text)).toBe(expected);
  });

  it.each(['2030010', '20301302', '20300132', '20300102256000'])('refuses expiry-time %s', (text) => {
    expect(() => parseExpiryTime(text)).toThrow();
  });

  it.each([
    ['host.example:22', { host: 'host.example', port: 22 }],
    ['*:443', { host: '*', port: 443 }],
    ['[fe80::1]:8080', { host: 'fe80::1', port: 8080 }],
  ])('permitopen %s', (text, expected) => {
    expect(parsePermitOpen(text)).toEqual(expected);
  });

  it.each(['host:0', 'host:70000', 'fe80::1:22', 'host'])('refuses permitopen %s', (text) => {
    expect(() => parsePermitOpen(text)).toThrow();
  });
});
