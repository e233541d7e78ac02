// The upload collector: it really runs a young-generation collection, and obtaining `gc`
// leaves V8's flags as they were, so a code cache made after it stays valid.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { YOUNG_GC_INTERVAL, noteUploadBytes } from './young-gc.js';

const run = promisify(execFile);
const SOURCE = 'function probe(n) { return n + 1; } probe(1);';

async function minorCollectionsDuring(action: () => void): Promise<number> {
  const kinds: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) kinds.push((entry as unknown as { detail: { kind: number } }).detail.kind);
  });
  observer.observe({ entryTypes: ['gc'] });
  action();
  await new Promise((resolve) => setTimeout(resolve, 50)); // gc entries are delivered asynchronously
  observer.disconnect();
  return kinds.filter((kind) => kind === constants.NODE_PERFORMANCE_GC_MINOR).length;
}

describe('noteUploadBytes', () => {
  it('collects the young generation once a full interval of bytes has arrived', async () => {
    const collections = await minorCollectionsDuring(() => {
      for (let sent = 0; sent < 3 * YOUNG_GC_INTERVAL; sent += 256 * 1024) noteUploadBytes(256 * 1024);
    });
    // Three intervals, three forced collections (V8 may add its own, never fewer).
    expect(collections).toBeGreaterThanOrEqual(3);
  });

  // V8 ignores cachedData for a source it has compiled already in this isolate, so the
  // cache is made in one process and loaded in another, as dist/'s loader does.
  it('leaves the flag hash alone: a cache made after a collection loads in a fresh process', async () => {
    expect(await cacheMadeAfter('collect')).toBe('accepted');
  });

  it('would break code caches if --expose-gc stayed on (why the flag is reset)', async () => {
    expect(await cacheMadeAfter('flag-left-on')).toBe('rejected');
  });
});

let work: string | undefined;
let collectorFile: string | undefined;
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** young-gc.ts bundled once as a CommonJS file a plain `node -e` child can require. */
async function collectorAsCommonJs(): Promise<string> {
  if (collectorFile) return collectorFile;
  work = await mkdtemp(join(tmpdir(), 'young-gc-'));
  const bundled = await build({ entryPoints: [join(import.meta.dirname, 'young-gc.ts')], bundle: true, platform: 'node', format: 'cjs', write: false });
  collectorFile = join(work, 'young-gc.cjs');
  await writeFile(collectorFile, bundled.outputFiles[0]!.text);
  return collectorFile;
}

/** Makes a code cache in a child after `step`, then reports whether a second child accepts it. */
async function cacheMadeAfter(step: 'collect' | 'flag-left-on'): Promise<string> {
  const collector = await collectorAsCommonJs();
  const cache = join(dirname(collector), `${step}.v8cache`);
  const probe = `const vm = require('node:vm'), fs = require('node:fs');
    const source = ${JSON.stringify(SOURCE)};
    if (process.argv[1] === 'make') {
      if (process.argv[2] === 'collect') require(${JSON.stringify(collector)}).noteUploadBytes(${YOUNG_GC_INTERVAL});
      else require('node:v8').setFlagsFromString('--expose-gc');
      const script = new vm.Script(source, { filename: 'probe.js' });
      script.runInThisContext();
      fs.writeFileSync(process.argv[3], script.createCachedData());
    } else {
      const script = new vm.Script(source, { filename: 'probe.js', cachedData: fs.readFileSync(process.argv[2]) });
      process.stdout.write(script.cachedDataRejected ? 'rejected' : 'accepted');
    }`;
  await run(process.execPath, ['-e', probe, 'make', step, cache]);
  return (await run(process.execPath, ['-e', probe, 'check', cache])).stdout;
}
