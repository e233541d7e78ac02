import { describe, expect, it } from 'vitest';
import { controlExitArgs, parseSshG, scpArgs, sshArgs } from './ssh-args.js';

describe('ssh arguments', () => {
  const settings = {
    configFile: 'cfg', identity: 'id', port: 2222,
    pin: { knownHostsFile: '/t/kh', alias: 'breakglass.pi' }, controlPath: '/t/cm',
  };

  it('pins the host key, shares the connection and ends options before the destination', () => {
    const args = sshArgs(settings, 'pi', ['-x', 'ls']);
    expect(args.slice(0, 4)).toEqual(['-F', 'cfg', '-i', 'id']);
    expect(args).toContain('UserKnownHostsFile=/t/kh');
    expect(args).toContain('StrictHostKeyChecking=yes');
    expect(args).toContain('HostKeyAlias=breakglass.pi');
    expect(args).toContain('ControlMaster=auto');
    expect(args.slice(-6)).toEqual(['-p', '2222', '--', 'pi', '-x', 'ls']);
  });

  it('asks for no passwords or passphrases in batch mode (fleet), for upload and command alike', () => {
    expect(sshArgs({ batchMode: true }, 'pi', ['df'])).toEqual(['-o', 'BatchMode=yes', '--', 'pi', 'df']);
    expect(scpArgs({ batchMode: true }, 'f.tar', 'pi')).toEqual(['-O', '-q', '-o', 'BatchMode=yes', '--', 'f.tar', 'pi:']);
    expect(sshArgs({}, 'pi')).not.toContain('BatchMode=yes');
  });

  it('uses scp -P and the legacy protocol for gokrazy\'s Go server', () => {
    const args = scpArgs({ port: 2222 }, '/tmp/debug.tar', 'fe80::1');
    expect(args).toEqual(['-O', '-q', '-P', '2222', '--', '/tmp/debug.tar', '[fe80::1]:']);
  });

  it('ends the master on the same control path and port', () => {
    expect(controlExitArgs(settings, 'pi')).toEqual(['-F', 'cfg', '-p', '2222', '-o', 'ControlPath=/t/cm', '-O', 'exit', '--', 'pi']);
  });

  it('reads host name and port from ssh -G', () => {
    expect(parseSshG('user root\nhostname 10.0.0.7\nport 2200\n')).toEqual({ hostname: '10.0.0.7', port: 2200 });
  });
});
