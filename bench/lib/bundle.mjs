// What the breakglassd bundle is made of: esbuild's metafile for the same entry and
// options as scripts/build.mjs (optionally minified, as an experiment), written to a temp dir (dist/ is left alone), summed per
// package. Startup cost follows the bytes node must parse and run before listening.
import { join } from 'node:path';
import { REPO } from './servers.mjs';

export async function bundleComposition(outdir, { minify = false, minifyWhitespace = false, name = 'breakglassd.js' } = {}) {
  const outfile = join(outdir, name);
  // Loaded here so the rest of the bench runs even where esbuild (a devDependency) is absent.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(REPO, 'src', 'cli', 'breakglassd.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    external: ['cpu-features', '*.node'],
    minify,
    minifyWhitespace: minify || minifyWhitespace,
    metafile: true,
    banner: { js: "import { createRequire as __bgCreateRequire } from 'node:module';\nconst require = __bgCreateRequire(import.meta.url);" },
    write: true,
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
  return { outfile, packages: [...byPackage.entries()].sort((a, b) => b[1] - a[1]) };
}
