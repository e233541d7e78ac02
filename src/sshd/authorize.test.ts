import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decidePublicKey } from './authorize.js';
import type { PublicKeyAttempt } from './authorize.js';
import { parseAuthorizedKeys } from './authorized-keys.js';
import { parseSshKey } from './ssh-keys.js';
import type { ParsedKey } from './ssh-keys.js';

const dir = mkdtempSync(join(tmpdir(), 'authz-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keygen(type: string, name: string): { pub: string; priv: ParsedKey } {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-C', name, '-f', path]);
  return { pub: readFileSync(`${path}.pub`, 'utf8').trim(), priv: parseSshKey(readFileSync(path, 'utf8')) as ParsedKey };
}

const keys = { ed: keygen('ed25519', 'ed'), ec: keygen('ecdsa', 'ec'), rsa: keygen('rsa', 'rsa'), other: keygen('ed25519', 'other') };
const data = Buffer.from('session id and userauth request');

function attempt(key: ParsedKey, hashAlgo?: string, signed = true, signWith: ParsedKey = key): PublicKeyAttempt {
  return {
    keyType: key.type,
    keyBlob: key.getPublicSSH(),
    hashAlgo,
    ...(signed ? { signature: { data, signature: signWith.sign(data, hashAlgo) } } : {}),
  };
}

describe('decidePublicKey', () => {
  const file = parseAuthorizedKeys([keys.ed.pub, keys.ec.pub, keys.rsa.pub].join('\n')).keys;

  it.each([
    ['ed25519', keys.ed.priv, undefined],
    ['ecdsa', keys.ec.priv, undefined],
    ['rsa-sha2-256', keys.rsa.priv, 'sha256'],
    ['rsa-sha2-512', keys.rsa.priv, 'sha512'],
  ])('accepts a valid %s signature', (_name, key, hash) => {
    expect(decidePublicKey(file, attempt(key, hash), '127.0.0.1')).toMatchObject({ ok: true, query: false });
  });

  it('answers a query (no signature) for a listed key', () => {
    expect(decidePublicKey(file, attempt(keys.ed.priv, undefined, false), '127.0.0.1')).toMatchObject({ ok: true, query: true });
  });

  it('refuses a key that is not listed', () => {
    expect(decidePublicKey(file, attempt(keys.other.priv), '127.0.0.1')).toEqual({ ok: false, reason: 'key not in authorized_keys' });
  });

  it('refuses a signature made by another key', () => {
    expect(decidePublicKey(file, attempt(keys.ed.priv, undefined, true, keys.other.priv), '127.0.0.1')).toMatchObject({
      ok: false,
      reason: 'bad signature',
    });
  });

  it('refuses SHA-1 ssh-rsa signatures', () => {
    expect(decidePublicKey(file, attempt(keys.rsa.priv, 'sha1'), '127.0.0.1')).toMatchObject({ ok: false, reason: /SHA-1/ });
    expect(decidePublicKey(file, attempt(keys.rsa.priv, undefined, false), '127.0.0.1')).toMatchObject({ ok: false });
  });

  it('applies from= and expiry-time=, and a later line with the same key can still admit', () => {
    const now = Date.UTC(2030, 5, 1);
    const restricted = parseAuthorizedKeys(`from="10.0.0.0/8" ${keys.ed.pub}\nexpiry-time="20300101Z" ${keys.ec.pub}`).keys;
    expect(decidePublicKey(restricted, attempt(keys.ed.priv), '192.168.1.1', now)).toMatchObject({ ok: false, reason: /from= on line 1/ });
    expect(decidePublicKey(restricted, attempt(keys.ed.priv), '10.2.3.4', now)).toMatchObject({ ok: true });
    expect(decidePublicKey(restricted, attempt(keys.ec.priv), '10.2.3.4', now)).toMatchObject({ ok: false, reason: /expired/ });
    expect(decidePublicKey(restricted, attempt(keys.ec.priv), '10.2.3.4', Date.UTC(2029, 0, 1))).toMatchObject({ ok: true });

    const twoLines = parseAuthorizedKeys(`from="10.0.0.0/8" ${keys.ed.pub}\ncommand="id" ${keys.ed.pub}`).keys;
    const decision = decidePublicKey(twoLines, attempt(keys.ed.priv), '127.0.0.1', now);
    expect(decision).toMatchObject({ ok: true });
    expect(decision.ok && decision.entry.line).toBe(2);
  });
});
