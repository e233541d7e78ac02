import { describe, expect, it } from 'vitest';
import { buildSessionEnv, clientEnvAllowed } from './session-env.js';

describe('session environment', () => {
  it.each([
    ['LANG', 'C.UTF-8', false, true],
    ['LC_ALL', 'C', true, true],
    ['FOO', 'bar', false, true],
    ['FOO', 'bar', true, false],
    ['LD_PRELOAD', '/x.so', true, false],
    ['HOME', '/evil', false, false],
    ['SSH_ORIGINAL_COMMAND', 'x', false, false],
    ['BAD-NAME', 'x', false, false],
    ['X', 'a\0b', false, false],
  ])('%s=%s restricted=%s → %s', (name, value, restricted, expected) => {
    expect(clientEnvAllowed(name, value, restricted)).toBe(expected);
  });

  it('sets USER, HOME, SSH_CONNECTION, SSH_CLIENT, TERM and SSH_ORIGINAL_COMMAND', () => {
    expect(
      buildSessionEnv({
        user: 'root', home: '/perm/home', path: '/bin', remoteAddress: '10.0.0.2', remotePort: 5000,
        localAddress: '10.0.0.1', localPort: 22, term: 'xterm', clientEnv: { LANG: 'C.UTF-8' }, originalCommand: 'ls',
      }),
    ).toEqual({
      LANG: 'C.UTF-8', USER: 'root', LOGNAME: 'root', HOME: '/perm/home', PATH: '/bin',
      SSH_CONNECTION: '10.0.0.2 5000 10.0.0.1 22', SSH_CLIENT: '10.0.0.2 5000 22', TERM: 'xterm', SSH_ORIGINAL_COMMAND: 'ls',
    });
  });
});
