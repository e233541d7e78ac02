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
import { build } from 'esbuild';
import { chmod, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ssh2PatchesPlugin } from './ssh2-patches.mjs';

const ENTRIES = {
  breakglassd: 'src/cli/breakglassd.ts',
  'breakglass-init': 'src/cli/breakglass-init.ts',
  breakglass: 'src/cli/breakglass.ts',
  'busybox-fetch': 'busybox-fetch/main.ts',
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

await build({
  entryPoints: ENTRIES,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  banner: { js: '#!/usr/bin/env node' },
  // ssh2 probes optional native add-ons (cpu-features, sshcrypto.node) inside try/catch;
  // leaving them external makes it fall back to pure JS on the device.
  external: ['cpu-features', '*.node'],
  sourcemap: false,
  minifyWhitespace: true,
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [withoutPoly1305, ssh2PatchesPlugin],
});
await writeFile('dist/package.json', '{ "type": "commonjs" }\n');
await Promise.all(Object.keys(ENTRIES).map((name) => chmod(`dist/${name}.js`, 0o755)));
