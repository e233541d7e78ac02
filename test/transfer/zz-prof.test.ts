import { it } from 'vitest';
import { run, startServer } from '../helpers/server.js';
it('prof', async () => {
  const s = await startServer({ env: { ...process.env, NODE_OPTIONS: '--cpu-prof --cpu-prof-dir=/tmp/bgprof' } });
  const t = Date.now();
  const r = await run('sftp', [...s.sshOptions(), '-c', 'aes128-gcm@openssh.com', '-P', String(s.port), '-b', '-', 'root@127.0.0.1'], { input: 'get /dev/shm/dl256 /dev/shm/dl256.back\n', timeoutMs: 300_000 });
  console.log('code', r.code, r.stderr, 'secs', (Date.now() - t) / 1000);
  await s.stop();
}, 300_000);
