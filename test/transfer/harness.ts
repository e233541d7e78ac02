// An in-process SSH server that serves only the transfer seam (SFTP subsystem and
// exec of `scp -t/-f`) over ssh2, so the SFTP/scp backends are tested with the real
// OpenSSH clients without breakglassd. Loopback only; any client is let in.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { clientOptions, makeKey, run } from '../helpers/server.js';
import type { RunResult } from '../helpers/server.js';
import { createToolbox, isScpCommand, runScp, serveSftp } from '../../src/transfer/index.js';
import type { Toolbox } from '../../src/transfer/index.js';

export interface TransferServer {
  dir: string;
  port: number;
  toolbox: Toolbox;
  events: Array<[string, Record<string, unknown>]>;
  /** Options that reach the server non-interactively. */
  sshOptions(): string[];
  sftp(batch: string, extraArgs?: string[]): Promise<RunResult>;
  scp(args: string[]): Promise<RunResult>;
  /** `host:` prefix for scp paths. */
  remote(path?: string): string;
  close(): Promise<void>;
}

export async function startTransferServer(options: { quotaBytes?: number } = {}): Promise<TransferServer> {
  const dir = await mkdtemp(join(tmpdir(), 'bg-transfer-'));
  const hostKey = await makeKey(dir, 'ed25519', 'host_key');
  const events: Array<[string, Record<string, unknown>]> = [];
  const toolbox = await createToolbox({
    dir: join(dir, 'toolbox'),
    quotaBytes: options.quotaBytes ?? 64 * 1024 * 1024,
    audit: (event, fields) => events.push([event, fields]),
  });
  const ctx = { toolbox, audit: (event: string, fields: Record<string, unknown>) => events.push([event, fields]) };
  const server = new ssh2.Server({ hostKeys: [await readFile(hostKey.privatePath)] }, (client) => {
    client.on('authentication', (auth) => auth.accept());
    client.on('error', () => undefined);
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('sftp', (accept) => {
          const sftp = accept();
          serveSftp(sftp, ctx).catch((err: unknown) => events.push(['sftp-error', { error: String(err) }]));
        });
        session.on('exec', (accept, reject, info) => {
          if (!isScpCommand(info.command)) return reject();
          const channel = accept();
          runScp(info.command, { stdin: channel, stdout: channel, stderr: channel.stderr }, ctx).then(
            (code) => {
              channel.exit(code);
              channel.end();
            },
            (err: unknown) => {
              events.push(['scp-error', { error: String(err) }]);
              channel.exit(1);
              channel.end();
            },
          );
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const sshOptions = (): string[] => clientOptions(dir);
  return {
    dir, port, toolbox, events, sshOptions,
    sftp: (batch, extraArgs = []) => run('sftp', [...sshOptions(), '-P', String(port), ...extraArgs, '-b', '-', 'root@127.0.0.1'], { input: batch, timeoutMs: 120_000 }),
    scp: (args) => run('scp', [...sshOptions(), '-P', String(port), ...args], { timeoutMs: 120_000 }),
    remote: (path = '') => `root@127.0.0.1:${path}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
