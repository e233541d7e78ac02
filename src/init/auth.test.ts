import { describe, expect, it } from 'vitest';
import { XsrfTokens, checkBasicAuth, cookieValue, parseBasicAuth } from './auth.js';

const basic = (user: string, pw: string): string => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;

describe('basic auth', () => {
  it('accepts gokrazy with the right password only', () => {
    expect(checkBasicAuth(basic('gokrazy', 's3cret'), 's3cret')).toBe(true);
    expect(checkBasicAuth(basic('gokrazy', 's3cre'), 's3cret')).toBe(false);
    expect(checkBasicAuth(basic('root', 's3cret'), 's3cret')).toBe(false);
    expect(checkBasicAuth(undefined, 's3cret')).toBe(false);
    expect(checkBasicAuth('Bearer abc', 's3cret')).toBe(false);
  });

  it('keeps colons in the password (RFC 7617: the user ends at the first colon)', () => {
    expect(parseBasicAuth(basic('gokrazy', 'a:b'))).toEqual({ user: 'gokrazy', password: 'a:b' });
  });
});

describe('XSRF tokens', () => {
  it('accepts a token we issued when cookie and form agree', () => {
    const xsrf = new XsrfTokens();
    const token = xsrf.issue();
    expect(xsrf.check(token, token)).toBe(true);
    expect(xsrf.check(token, undefined)).toBe(false);
    expect(xsrf.check(token, xsrf.issue())).toBe(false);
  });

  it('refuses a token some other process made up', () => {
    const forged = new XsrfTokens().issue();
    expect(new XsrfTokens().check(forged, forged)).toBe(false);
    expect(new XsrfTokens().check('123', '123')).toBe(false);
  });

  it('reads one cookie out of a Cookie header', () => {
    expect(cookieValue('a=1; gokrazy_xsrf=tok.en; b=2', 'gokrazy_xsrf')).toBe('tok.en');
    expect(cookieValue('a=1', 'gokrazy_xsrf')).toBeUndefined();
  });
});
