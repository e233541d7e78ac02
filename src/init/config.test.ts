import { describe, expect, it } from 'vitest';
import { formatIssuePath, parseConfig } from './config.js';

const ok = {
  hostname: 'pi',
  http: { listen: '127.0.0.1', port: 0, passwordFile: '/tmp/pw', socket: '/tmp/s.sock' },
  services: [{ path: '/user/breakglass', command: ['node', '/dist/breakglassd.js'], dontStart: true }],
};

describe('parseConfig', () => {
  it('accepts the DESIGN example and fills defaults', () => {
    const config = parseConfig(ok);
    expect(config.hostname).toBe('pi');
    expect(config.http.listen).toEqual({ kind: 'explicit', addresses: [{ address: '127.0.0.1', family: 4 }] });
    expect(config.services[0]).toMatchObject({ env: {}, dontStart: true });
    expect(config.stopGraceMs).toBe(5000);
  });

  it('defaults http to private addresses on port 80 and the hostname to the OS one', () => {
    const config = parseConfig({ services: [] }, 'box');
    expect(config.hostname).toBe('box');
    expect(config.http).toMatchObject({ listen: { kind: 'private' }, port: 80, socket: '/run/gokrazy-http.sock' });
    expect(config.http.passwordFile).toBeUndefined();
  });

  it.each([
    [{ ...ok, services: [{ path: '/user/x', command: 'node x' }] }, 'config: services[0].command: expected array'],
    [{ ...ok, services: [{ path: 'user/x', command: ['x'] }] }, 'config: services[0].path: expected an absolute path'],
    [{ ...ok, services: [{ path: '/user/x', command: [] }] }, 'config: services[0].command: expected at least the program'],
    [{ ...ok, http: { ...ok.http, port: 70000 } }, 'config: http.port:'],
    [{ ...ok, http: { ...ok.http, port: '80' } }, 'config: http.port: expected number'],
    [{ ...ok, bogus: 1 }, 'config: (top level): Unrecognized key'],
    [{ ...ok, services: [{ path: '/user/x', command: ['x'], env: { A: 1 } }] }, 'config: services[0].env.A: expected string'],
    [{ ...ok, services: [ok.services[0], ok.services[0]] }, 'config: services[1].path: duplicate service path /user/breakglass'],
    [{ ...ok, http: { ...ok.http, listen: '8.8.8.8' } }, 'config: http.listen: 8.8.8.8 is a public or unspecified address'],
    [[], 'config: (top level): expected object'],
  ])('names the bad field: %j', (raw, message) => {
    expect(() => parseConfig(raw)).toThrow(message);
  });

  it('accepts a public address only with allowPublic', () => {
    expect(parseConfig({ http: { listen: '0.0.0.0', allowPublic: true } }).http.listen).toMatchObject({ kind: 'explicit' });
  });
});

describe('formatIssuePath', () => {
  it('renders indexes in brackets', () => {
    expect(formatIssuePath(['services', 3, 'env', 'PATH'])).toBe('services[3].env.PATH');
    expect(formatIssuePath([])).toBe('(top level)');
  });
});
