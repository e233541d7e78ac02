// A local "device" for client tests: breakglass-init on loopback with /user/breakglass
// (dontStart) running an SSH server on a port chosen up front, and a client key pair.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, makeKey, run } from '../helpers/server.js';
import type { KeyPair, RunResult } from '../helpers/server.js';
import { startInit } from '../init/harness.js';
import type { InitHarness, ServiceJson } from '../init/harness.js';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Device {
  dir: string;
  init: InitHarness;
  sshPort: number;
  key: KeyPair;
  passwordFile: string;
  /** ssh_config for the client's ssh: non-interactive, only the test key (test/helpers/server.ts style). */
  sshConfig: string;
  /** node dist/breakglass.js --http-port H --ssh-port S --password-file F --identity KEY [extra…] */
  client(args: string[], options?: { input?: string; timeoutMs?: number; sshConfig?: boolean; env?: NodeJS.ProcessEnv }): Promise<RunResult>;
  stop(): Promise<void>;
}

/** `service(dir, sshPort, key)` says how /user/breakglass runs. */
export async function startDevice(service: (dir: string, sshPort: number, key: KeyPair) => Promise<ServiceJson> | ServiceJson): Promise<Device> {
  const dir = await mkdtemp(join(tmpdir(), 'bg-device-'));
  const key = await makeKey(dir);
  const sshPort = await freePort();
  const init = await startInit([await service(dir, sshPort, key)], { dir });
  const passwordFile = join(dir, 'gokr-pw.txt');
  const sshConfig = join(dir, 'ssh_config');
  await writeFile(sshConfig, ['BatchMode yes', 'IdentitiesOnly yes', 'IdentityAgent none', 'LogLevel ERROR', 'ConnectTimeout 10', ''].join('\n'));
  return {
    dir, init, sshPort, key, passwordFile, sshConfig,
    client: (args, options = {}) =>
      run(process.execPath, [
        join(DIST, 'breakglass.js'),
        '--http-port', String(init.port), '--ssh-port', String(sshPort), '--password-file', passwordFile, '--identity', key.privatePath,
        ...(options.sshConfig === false ? [] : ['--ssh-config', sshConfig]),
        ...args,
      ], { ...(options.input !== undefined ? { input: options.input } : {}), ...(options.env ? { env: options.env } : {}), timeoutMs: options.timeoutMs ?? 30_000 }),
    stop: async () => {
      await init.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** /user/breakglass running the bundled breakglassd, as npm start and DESIGN configure it. */
export function breakglassdService(dir: string, sshPort: number, key: KeyPair): Promise<ServiceJson> {
  const authorizedKeys = join(dir, 'authorized_keys');
  return writeFile(authorizedKeys, `${key.publicLine}\n`).then(() => ({
    path: '/user/breakglass',
    dontStart: true,
    command: [
      process.execPath, join(DIST, 'breakglassd.js'),
      '--listen', '127.0.0.1', '--port', String(sshPort),
      '--authorized-keys', authorizedKeys,
      '--host-key', join(dir, 'host_key'),
      '--toolbox-dir', join(dir, 'toolbox'),
      '--home', join(dir, 'home'),
    ],
  }));
}
