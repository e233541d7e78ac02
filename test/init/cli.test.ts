// breakglass-init's command line: a bad config is one line naming the field, exit 2.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, run } from '../helpers/server.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bg-init-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function initWith(config: string): Promise<{ code: number | null; stderr: string }> {
  const file = join(dir, `c${Math.random()}.json`);
  await writeFile(file, config);
  const result = await run(process.execPath, [join(DIST, 'breakglass-init.js'), '--config', file]);
  return { code: result.code, stderr: result.stderr };
}

describe('breakglass-init config errors', () => {
  it.each([
    ['{"services":[{"path":"/user/x","command":"node x"}]}', 'breakglass-init: config: services[0].command: expected array, received string\n'],
    ['{"http":{"port":"80"}}', 'breakglass-init: config: http.port: expected number, received string\n'],
    ['{"http":{"listen":"0.0.0.0"}}', 'breakglass-init: config: http.listen: 0.0.0.0 is a public or unspecified address; pass --allow-public to listen on it anyway\n'],
    ['{"services":', 'is not valid JSON'],
  ])('%s', async (config, message) => {
    const { code, stderr } = await initWith(config);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('needs --config and names a missing file', async () => {
    const none = await run(process.execPath, [join(DIST, 'breakglass-init.js')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('breakglass-init: --config FILE is required (see --help)\n');
    const missing = await run(process.execPath, [join(DIST, 'breakglass-init.js'), '--config', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('(no such file)');
  });

  it('documents its flag in --help', async () => {
    const help = await run(process.execPath, [join(DIST, 'breakglass-init.js'), '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout.toString()).toContain('--config FILE');
  });
});
