// Every cipher and MAC breakglassd offers moves files intact, in both directions, with
// the real OpenSSH clients. The build patches how ssh2 encrypts CHANNEL_DATA (in pieces,
// without a packet copy: scripts/ssh2-patches.mjs), so each cipher path, the fallback
// paths (small payloads, compression, a key exchange in the middle of a transfer) and
// every way data leaves a session (SFTP, scp, exec output) are checked byte for byte.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../fixtures/tar/build.js';
import { run, startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

let server: TestServer;
let local: string;
const big = randomBytes(3 * 1024 * 1024 + 17);
const small = randomBytes(700);

beforeAll(async () => {
  server = await startServer({ args: ['--toolbox-quota', '64M'] });
  local = join(server.dir, 'local');
  await mkdir(local);
  await writeFile(join(local, 'big.bin'), big);
  await writeFile(join(local, 'small.bin'), small);
});
afterAll(async () => {
  await server?.stop();
});

const CASES: Array<[string, string[]]> = [
  ['aes128-gcm', ['-c', 'aes128-gcm@openssh.com']],
  ['aes256-gcm', ['-c', 'aes256-gcm@openssh.com']],
  ['aes128-ctr, hmac-sha2-256-etm', ['-c', 'aes128-ctr', '-o', 'MACs=hmac-sha2-256-etm@openssh.com']],
  ['aes192-ctr, hmac-sha2-512-etm', ['-c', 'aes192-ctr', '-o', 'MACs=hmac-sha2-512-etm@openssh.com']],
  ['aes256-ctr, hmac-sha2-256 (MAC over plaintext)', ['-c', 'aes256-ctr', '-o', 'MACs=hmac-sha2-256']],
  ['aes128-ctr, hmac-sha2-512 (MAC over plaintext)', ['-c', 'aes128-ctr', '-o', 'MACs=hmac-sha2-512']],
  ['aes128-gcm with zlib@openssh.com compression', ['-c', 'aes128-gcm@openssh.com', '-o', 'Compression=yes']],
  ['aes128-ctr with a rekey every 256K', ['-c', 'aes128-ctr', '-o', 'RekeyLimit=256K']],
  ['aes128-gcm with a rekey every 256K', ['-c', 'aes128-gcm@openssh.com', '-o', 'RekeyLimit=256K']],
];

describe.each(CASES)('%s', (name, extra) => {
  const tag = name.replace(/[^a-z0-9]+/gi, '-');
  const options = (): string[] => [...server.sshOptions(), ...extra];

  it('sftp put and get, large and small files', async () => {
    const batch = [
      `put ${join(local, 'big.bin')} ${tag}.big`,
      `put ${join(local, 'small.bin')} ${tag}.small`,
      `get ${tag}.big ${join(local, `${tag}.big.back`)}`,
      `get ${tag}.small ${join(local, `${tag}.small.back`)}`,
      `rm ${tag}.big`,
      `rm ${tag}.small`,
    ].join('\n');
    const r = await run('sftp', [...options(), '-P', String(server.port), '-b', '-', 'root@127.0.0.1'], { input: `${batch}\n`, timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(sha256(await readFile(join(local, `${tag}.big.back`)))).toBe(sha256(big));
    expect(sha256(await readFile(join(local, `${tag}.small.back`)))).toBe(sha256(small));
  });

  it('scp -O download and exec output (cat) carry the same bytes', async () => {
    await writeFile(join(server.toolboxDir, `${tag}.src`), big);
    const back = join(local, `${tag}.scp`);
    const scp = await run('scp', [...options(), '-O', '-P', String(server.port), `root@127.0.0.1:${join(server.toolboxDir, `${tag}.src`)}`, back], { timeoutMs: 60_000 });
    expect(scp.stderr.toString()).toBe('');
    expect(scp.code).toBe(0);
    expect(sha256(await readFile(back))).toBe(sha256(big));
    const cat = await run('ssh', [...options(), '-p', String(server.port), 'root@127.0.0.1', `cat ${join(server.toolboxDir, `${tag}.src`)}`], { timeoutMs: 60_000 });
    expect(cat.code).toBe(0);
    expect(sha256(cat.stdout)).toBe(sha256(big));
  });
});
