import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { it } from 'vitest';
import { createToolbox } from '../../src/transfer/index.js';
it('perf', async () => {
  for (let i = 0; i < 3; i++) {
    await rm('/dev/shm/bgperf/tb', { recursive: true, force: true });
    const tb = await createToolbox({ dir: '/dev/shm/bgperf/tb', quotaBytes: 500 << 20 });
    const t = performance.now(); const c0 = process.cpuUsage();
    const m = await tb.add(createReadStream('/dev/shm/bgperf/x.tar', { highWaterMark: 1 << 20 }), 'x.tar');
    const c = process.cpuUsage(c0); console.log('extract ms', (performance.now() - t).toFixed(0), 'cpu', ((c.user + c.system) / 1000).toFixed(0), m.files);
  }
}, 60000);
