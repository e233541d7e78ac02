import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { it } from 'vitest';
import { run } from '../helpers/server.js';
import { startTransferServer } from './harness.js';
it('debug', async () => {
  const s = await startTransferServer();
  await mkdir(join(s.dir, 'l'));
  await writeFile(join(s.dir, 'l', 'x'), 'hello');
  const r = await run('scp', [...s.sshOptions().slice(0, -4), '-v', '-O', '-P', String(s.port), join(s.dir, 'l', 'x'), s.remote()]);
  console.log(r.code, r.stderr.split('\n').filter((l) => !/kex|cipher|MAC|compression|host key|hostkey|Authenticat|identity|Will attempt|channel 0: new|pledge|Connecting|Connection established|Local version|Remote protocol|compat|expecting|SSH2_MSG|rekey|ssh_|load_|Reading config|Server host|Offering|send packet|receive packet|Sending environment|debug1: Sending env/.test(l)).join('\n'));
  console.log(s.events);
  await s.close();
});
