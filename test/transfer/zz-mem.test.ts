import { readFile } from 'node:fs/promises';
import { it } from 'vitest';
import { run, startServer } from '../helpers/server.js';
it('mem', async () => {
  const s = await startServer({ args: ['--toolbox-quota', '2G'] });
  const idle = await readFile(`/proc/${s.process.pid}/status`, 'utf8'); console.log('idle', idle.match(/VmRSS.*/g));
  const t = Date.now();
  const r = await run('sftp', [...s.sshOptions(), '-P', String(s.port), '-b', '-', 'root@127.0.0.1'], { input: 'put /dev/shm/bgperf/big1g big1g\nrm big1g\n', timeoutMs: 300_000 });
  const status = await readFile(`/proc/${s.process.pid}/status`, 'utf8');
  console.log('code', r.code, r.stderr, 'secs', (Date.now() - t) / 1000, status.match(/VmHWM.*|VmRSS.*/g));
  await s.stop();
}, 300_000);
