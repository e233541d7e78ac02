import { describe, expect, it } from 'vitest';
import { checkFleet, outFileName, parseHostsFile, splitHostArgs } from './fleet-hosts.js';

describe('hosts file', () => {
  it('reads one HOST per line with per-host flags, comments and blank lines', () => {
    const text = [
      '# the lab',
      'pi1',
      '',
      '  pi2   --ssh-port 2222   # behind a port forward',
      '127.0.0.1 --name lab-a --http-port=8001 --ssh-port 2201 --password-file lab-a.pw -i /keys/a --service /user/bg',
    ].join('\n');
    expect(parseHostsFile(text, 'fleet.txt', '/etc/fleet')).toEqual([
      { name: 'pi1', host: 'pi1', overrides: {} },
      { name: 'pi2', host: 'pi2', overrides: { sshPort: 2222 } },
      { name: 'lab-a', host: '127.0.0.1', overrides: { httpPort: 8001, sshPort: 2201, passwordFile: '/etc/fleet/lab-a.pw', identity: '/keys/a', service: '/user/bg' } },
    ]);
  });

  it.each([
    ['pi1 --ssh-port x', 'fleet.txt:1: --ssh-port: "x" is not a port number (1-65535)'],
    ['pi1 --user root', 'fleet.txt:1: unknown flag --user (see --help)'],
    ['pi1 pi2', 'fleet.txt:1: one HOST per line, got also "pi2"'],
    ['--ssh-port 22 pi1', 'fleet.txt:1: expected a HOST first, got "--ssh-port"'],
    ['pi1 --service breakglass', 'fleet.txt:1: --service: expected a path such as /user/breakglass, got "breakglass"'],
    ['# ok\npi1 --http-port', 'fleet.txt:2: --http-port needs a value (PORT)'],
  ])('names the line of a mistake: %j', (text, message) => {
    expect(() => parseHostsFile(text, 'fleet.txt', '/')).toThrow(message);
  });

  it('refuses an empty fleet and a name listed twice', () => {
    expect(() => checkFleet([])).toThrow('no hosts');
    const pi = { name: 'pi', host: 'pi', overrides: {} };
    expect(() => checkFleet([pi, { ...pi }])).toThrow('host pi is listed twice');
  });
});

describe('hosts on the command line', () => {
  it.each([
    [['pi1', 'pi2', '--', 'df', '-h'], { hosts: ['pi1', 'pi2'], command: ['df', '-h'] }],
    [['pi1', 'pi2', 'pi3', '--', 'a', '--', 'b'], { hosts: ['pi1', 'pi2', 'pi3'], command: ['a', '--', 'b'] }],
    [['pi1', 'pi2', '--'], { hosts: ['pi1', 'pi2'], command: [] }],
  ])('several HOSTs before -- are a fleet: %j', (args, expected) => {
    expect(splitHostArgs(args)).toEqual(expected);
  });

  it.each([[['pi', '--', 'ls', '-l']], [['pi', 'ls', '-l']], [['pi']], [[]]])('one HOST stays the single-host form: %j', (args) => {
    expect(splitHostArgs(args)).toBeUndefined();
  });
});

describe('--out file names', () => {
  it.each([['pi1', 'pi1'], ['10.0.0.7', '10.0.0.7'], ['fe80::1', 'fe80::1'], ['a/b', 'a_b'], ['..', '_..'], ['x y', 'x_y']])('%s → %s', (name, file) => {
    expect(outFileName(name)).toBe(file);
  });
});
