import { randomBytes, createHash } from 'node:crypto';
import { writeFile, readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { it } from 'vitest';
import { run, startServer } from '../helpers/server.js';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
it('debug', async () => {
  const s = await startServer();
  const local = join(s.dir, 'l');
  await mkdir(local);
  const scp = (args: string[]) => run('scp', [...s.sshOptions(), '-P', String(s.port), ...args]);
  for (const mode of [[], [], [], [], [], [], [], []]) {
    const data = randomBytes(500_000);
    await writeFile(join(local, 'f'), data);
    const a = await scp([...mode, join(local, 'f'), 'root@127.0.0.1:f']);
    const remoteSha = sha(await readFile(join(s.toolboxDir, 'f')));
    const b = await run('scp', [...s.sshOptions().slice(0, -4), '-vvv', '-P', String(s.port), 'root@127.0.0.1:f', join(local, 'f.back')]);
    const back = await readFile(join(local, 'f.back'));
    console.log(mode, a.code, b.code, sha(data) === remoteSha, sha(data) === sha(back), back.length);
    if (back.length !== 500000) console.log(b.stderr.split('\n').filter((l) => !/kex|cipher|MAC|compression|host key|hostkey|Authenticat|identity|Will attempt|pledge|Connecting|Connection established|Local version|Remote protocol|compat|expecting|SSH2_MSG|rekey|ssh_|load_|Reading config|Server host|Offering|send packet|receive packet|Sending env|channel 0: (rcvd adjust|written|read|obuf|ibuf)|debug3: receive|debug2: channel|bind|sig|algorithm|key_|record_hostkey|hostkeys|checking|known|debug1: Requesting|Request suc|mux|ssh_packet|permanently|Warning|input_|client_|debug1: Sending subsys|debug2: \w+:/.test(l)).slice(40, 200).join('\n'));
  }
  
  await s.stop();
});
