// What breakglassd's bundle must not carry: every module in it is read, compiled and
// partly evaluated on each cold start (BENCHMARKS.md "Cold start"). zod and the laptop
// client were a fifth of it until the shell's svc/logs imported the web UI client from
// src/webui/ instead of src/client/, and the daemon's flags were checked by hand.
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..', '..');

/** The repository-relative paths of every module esbuild puts into the entry's bundle. */
async function bundledModules(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [join(REPO, entry)],
    outfile: 'out.js',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['cpu-features', '*.node'],
    metafile: true,
    write: false,
    logLevel: 'silent',
    absWorkingDir: REPO,
  });
  return Object.keys(result.metafile.inputs);
}

describe("breakglassd's bundle", () => {
  it('holds no zod and none of the laptop client', async () => {
    const modules = await bundledModules('src/cli/breakglassd.ts');
    expect(modules.some((m) => m.startsWith('src/shell/'))).toBe(true); // the listing works
    expect(modules.filter((m) => m.includes('node_modules/zod/'))).toEqual([]);
    expect(modules.filter((m) => m.startsWith('src/client/'))).toEqual([]);
  });

  it('the same check finds zod and the client where they belong (the laptop client)', async () => {
    const modules = await bundledModules('src/cli/breakglass.ts');
    expect(modules.some((m) => m.includes('node_modules/zod/'))).toBe(true);
    expect(modules.some((m) => m.startsWith('src/client/'))).toBe(true);
  });
});
