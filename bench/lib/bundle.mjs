// The breakglassd bundle under the microscope: what it is made of (esbuild's metafile for
// the same entry, summed per package, never written to disk).
import { join } from 'node:path';
import { REPO } from './servers.mjs';

async function esbuild() {
  // Loaded here so the rest of the bench runs even where esbuild (a devDependency) is absent.
  return import('esbuild');
}

/** [package or src folder, bytes in the minified output], largest first. */
export async function bundleComposition() {
  const { build } = await esbuild();
  const result = await build({
    entryPoints: [join(REPO, 'src', 'cli', 'breakglassd.ts')],
    outfile: 'breakglassd.js',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: ['cpu-features', '*.node'],
    minify: true,
    metafile: true,
    write: false,
    logLevel: 'silent',
    absWorkingDir: REPO,
  });
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint);
  const byPackage = new Map();
  for (const [path, info] of Object.entries(output?.inputs ?? {})) {
    const match = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const key = match ? match[1] : path.split('/').slice(0, 2).join('/');
    byPackage.set(key, (byPackage.get(key) ?? 0) + info.bytesInOutput);
  }
  return [...byPackage.entries()].sort((a, b) => b[1] - a[1]);
}
