// Bundles each program into one self-contained file under dist/ (DESIGN.md: the device
// gets one file per program and no node_modules).
//
// CommonJS output, because that is what node assumes for a lone `.js` file with no
// package.json beside it (the device): an ESM bundle there is first compiled as CommonJS,
// fails, and is compiled again as ESM (Node ≥ 20.19 only), costing ~11 MiB of RSS at
// startup. In this repository the root package.json says "type": "module", so the build
// writes dist/package.json saying "commonjs" for the same files. Whitespace is minified
// (identifiers kept, for readable stack traces): the bundle shrinks and, with comments
// gone, V8 keeps the source as a one-byte string (a few non-Latin-1 characters in
// comments made it store two bytes per character) — about 4 MiB less RSS (BENCHMARKS.md).
//
// Each file is the small loader scripts/code-cache-loader.cjs followed by the bundle in
// a block comment (scripts/code-cache-file.mjs): the loader runs the bundle through a V8
// code cache (cold start), and the program is still one self-contained file.
import { build } from 'esbuild';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { withCodeCacheLoader } from './code-cache-file.mjs';
import { ssh2PatchesPlugin } from './ssh2-patches.mjs';

const ENTRIES = {
  breakglassd: 'src/cli/breakglassd.ts',
  'breakglass-init': 'src/cli/breakglass-init.ts',
  breakglass: 'src/cli/breakglass.ts',
  'busybox-fetch': 'busybox-fetch/main.ts',
  // The QEMU appliance builder (npm run vm); never copied into an appliance.
  vm: 'vm/main.ts',
};

/** Replaces ssh2's Poly1305 wasm module with a stub: see scripts/poly1305-stub.cjs. */
const withoutPoly1305 = {
  name: 'without-poly1305',
  setup(b) {
    b.onResolve({ filter: /[\\/]crypto[\\/]poly1305\.js$/ }, (args) =>
      args.importer.includes('node_modules/ssh2/') ? { path: resolve('scripts/poly1305-stub.cjs') } : undefined,
    );
  },
};

/**
 * zod re-exports all of its ~50 message locales (310 KB of the bundle) as `z.locales`;
 * we use English only, which zod installs from locales/en.js by itself.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes('node_modules/zod/') ? { path: 'zod-locales', namespace: 'zod-english-only' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, () => ({
      contents: `export { default as en } from ${JSON.stringify(resolve('node_modules/zod/v4/locales/en.js'))};`,
      loader: 'js',
      resolveDir: resolve('node_modules/zod/v4/locales'),
    }));
  },
};

const result = await build({
  entryPoints: ENTRIES,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // ssh2 probes optional native add-ons (cpu-features, sshcrypto.node) inside try/catch;
  // leaving them external makes it fall back to pure JS on the device.
  external: ['cpu-features', '*.node'],
  sourcemap: false,
  minifyWhitespace: true,
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [withoutPoly1305, zodEnglishOnly, ssh2PatchesPlugin],
  write: false,
});
await mkdir('dist', { recursive: true }); // write:false leaves creating it to us
for (const output of result.outputFiles) {
  await writeFile(output.path, withCodeCacheLoader(basename(output.path), output.text), { mode: 0o755 });
  await chmod(output.path, 0o755);
}
await writeFile('dist/package.json', '{ "type": "commonjs" }\n');
