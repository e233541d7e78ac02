import { describe, expect, it } from 'vitest';
import { discoverDevice } from './gokrazy-config.js';
import type { DiscoveryEnv } from './gokrazy-config.js';

function env(files: Record<string, string>): DiscoveryEnv {
  return { home: '/h', configDir: '/h/.config', parentDir: '/h/gokrazy', readFile: async (path) => files[path] };
}

describe('gokrazy password discovery', () => {
  it('reads Update.HTTPPassword, HTTPPort and Hostname from the instance config', async () => {
    const files = { '/h/gokrazy/mypi/config.json': JSON.stringify({ Hostname: 'mypi', Update: { Hostname: 'mypi.lan', HTTPPassword: 'pw1', HTTPPort: '8080' } }) };
    expect(await discoverDevice({ host: 'mypi' }, env(files))).toEqual({
      hostname: 'mypi.lan', httpPort: 8080, password: 'pw1', passwordSource: '/h/gokrazy/mypi/config.json (Update.HTTPPassword)',
    });
  });

  it('falls back to hosts/HOST/http-password.txt, then the global file, with port 80', async () => {
    const files: Record<string, string> = { '/h/.config/gokrazy/http-password.txt': 'global\n' };
    expect(await discoverDevice({ host: '10.0.0.7' }, env(files))).toMatchObject({ hostname: '10.0.0.7', httpPort: 80, password: 'global' });
    files['/h/.config/gokrazy/hosts/10.0.0.7/http-password.txt'] = 'per-host\n';
    files['/h/.config/gokrazy/hosts/10.0.0.7/http-port.txt'] = '81\n';
    expect(await discoverDevice({ host: '10.0.0.7' }, env(files))).toMatchObject({ password: 'per-host', httpPort: 81 });
  });

  it('lets --password-file and --http-port override everything', async () => {
    const files = { '/h/gokrazy/mypi/config.json': JSON.stringify({ Update: { HTTPPassword: 'pw1', HTTPPort: 8080 } }), '/tmp/pw': 'mine\n' };
    expect(await discoverDevice({ host: 'mypi', passwordFile: '/tmp/pw', httpPort: 9 }, env(files))).toMatchObject({ password: 'mine', httpPort: 9, passwordSource: '/tmp/pw' });
  });

  it('says where it looked when no password is found', async () => {
    await expect(discoverDevice({ host: 'pi' }, env({}))).rejects.toThrow(
      'no web UI password for pi: looked in /h/gokrazy/pi/config.json, /h/.config/gokrazy/hosts/pi/http-password.txt, /h/.config/gokrazy/http-password.txt; pass --password-file FILE',
    );
    await expect(discoverDevice({ host: 'pi', passwordFile: '/nope' }, env({}))).rejects.toThrow('--password-file: /nope does not exist');
  });

  it('names a broken instance config', async () => {
    await expect(discoverDevice({ host: 'pi' }, env({ '/h/gokrazy/pi/config.json': '{' }))).rejects.toThrow('/h/gokrazy/pi/config.json is not valid JSON');
    await expect(discoverDevice({ host: 'pi' }, env({ '/h/gokrazy/pi/config.json': '{"Update":{"HTTPPort":"x"}}' }))).rejects.toThrow('Update.HTTPPort');
  });

  it('never reads outside the gokrazy directories for odd host names', async () => {
    const seen: string[] = [];
    const e = env({ '/h/.config/gokrazy/http-password.txt': 'g' });
    const reading: DiscoveryEnv = { ...e, readFile: async (p) => (seen.push(p), e.readFile(p)) };
    await discoverDevice({ host: '../../etc' }, reading);
    expect(seen.every((p) => !p.includes('..'))).toBe(true);
  });
});
