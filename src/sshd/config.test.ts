import { describe, expect, it } from 'vitest';
import { FLAG_SPECS, helpText, parseCommandLine } from './config.js';
import type { DaemonConfig } from './config.js';

function config(argv: string[]): DaemonConfig {
  const parsed = parseCommandLine(argv);
  if (parsed.help) throw new Error('unexpected --help');
  return parsed.config;
}

describe('parseCommandLine', () => {
  it('has the DESIGN defaults', () => {
    expect(config([])).toEqual({
      port: 22,
      listen: { kind: 'private' },
      authorizedKeys: { candidates: ['/perm/breakglass.authorized_keys', '/etc/breakglass.authorized_keys'] },
      hostKey: '/perm/breakglass.host_key',
      toolboxDir: undefined,
      toolboxQuotaBytes: 500 * 1024 * 1024,
      home: '/perm/home/breakglass',
      forward: 'off',
      loginGraceMs: 30_000,
      maxStartups: 10,
      idleExitMs: 0,
      banner: true,
      detachTimeoutMs: 15 * 60_000,
      maxDetached: 8,
      scrollbackLines: 200,
      record: undefined,
      logFormat: 'text',
      startOnBoot: false,
    });
  });

  it('reads every flag', () => {
    expect(
      config([
        '--port=0', '--listen', '127.0.0.1,::1', '--authorized-keys', '/k', '--host-key', '/h', '--toolbox-dir', '/t',
        '--toolbox-quota', '1G', '--home', '/home/x', '--forward', 'private-network', '--login-grace-time', '1m30s',
        '--max-startups', '3', '--idle-exit', '10m', '--no-banner', '--log-format', 'json', '--start-on-boot',
      ]),
    ).toMatchObject({
      port: 0,
      listen: { kind: 'explicit', addresses: [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }] },
      authorizedKeys: { explicit: '/k' },
      hostKey: '/h',
      toolboxDir: '/t',
      toolboxQuotaBytes: 1024 ** 3,
      home: '/home/x',
      forward: 'private-network',
      loginGraceMs: 90_000,
      maxStartups: 3,
      idleExitMs: 600_000,
      banner: false,
      logFormat: 'json',
      startOnBoot: true,
    });
  });

  it('reads the detach and recording flags', () => {
    expect(
      config(['--detach-timeout', '30s', '--max-detached', '2', '--scrollback', '1000', '--record', '/rec', '--record-input', '--record-max-size', '1M', '--record-max-total', '10M']),
    ).toMatchObject({
      detachTimeoutMs: 30_000,
      maxDetached: 2,
      scrollbackLines: 1000,
      record: { dir: '/rec', input: true, maxFileBytes: 1024 ** 2, maxTotalBytes: 10 * 1024 ** 2 },
    });
    expect(() => config(['--max-detached', 'many'])).toThrow('--max-detached: "many" is not a number from 0 to 1000');
    expect(() => config(['--record', ''])).toThrow('--record must not be empty');
  });

  it('accepts gokrazy breakglass spellings', () => {
    expect(config(['-authorized_keys=/a', '-host_key=/h', '-port=2222', '-forward=loopback', '-enable_banner=false'])).toMatchObject({
      authorizedKeys: { explicit: '/a' },
      hostKey: '/h',
      port: 2222,
      forward: 'loopback',
      banner: false,
    });
    expect(config(['-forward='])).toMatchObject({ forward: 'off' });
    expect(config(['-enable_banner=true'])).toMatchObject({ banner: true });
  });

  it.each([
    [['--listen', '0.0.0.0'], /--allow-public/],
    [['--listen', '8.8.8.8'], /--allow-public/],
    [['--port', '65536'], /--port: "65536" is not a number from 0 to 65535/],
    [['--port', 'ssh'], /--port/],
    [['--login-grace-time', '30 parsecs'], /--login-grace-time: "30 parsecs" is not a duration/],
    [['--idle-exit', '-1s'], /--idle-exit/],
    [['--toolbox-quota', 'lots'], /--toolbox-quota: "lots" is not a size/],
    [['--forward', 'everything'], /--forward: expected one of off, loopback, private-network/],
    [['--log-format', 'xml'], /--log-format: expected text or json/],
    [['--max-startups', '0'], /--max-startups/],
    [['--bogus'], /unknown flag --bogus/],
    [['extra'], /unexpected argument "extra"/],
    [['--authorized-keys='], /--authorized-keys must not be empty/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(message);
  });

  it('accepts public addresses with --allow-public', () => {
    expect(config(['--listen', '0.0.0.0', '--allow-public']).listen).toMatchObject({ kind: 'explicit' });
  });

  it('--help lists every flag with its default', () => {
    expect(parseCommandLine(['--help'])).toEqual({ help: true });
    const text = helpText();
    for (const spec of FLAG_SPECS) {
      expect(text).toContain(`--${spec.name}`);
      if (spec.default !== undefined) expect(text).toContain(`(default: ${spec.default})`);
    }
  });
});
