// Bundles each program into one self-contained ESM file under dist/ (DESIGN.md: the
// device gets one file per program and no node_modules).
import { build } from 'esbuild';
import { chmod } from 'node:fs/promises';

const ENTRIES = {
  breakglassd: 'src/cli/breakglassd.ts',
  'breakglass-init': 'src/cli/breakglass-init.ts',
  breakglass: 'src/cli/breakglass.ts',
  'busybox-fetch': 'busybox-fetch/main.ts',
};

// ssh2 is CommonJS and probes optional native add-ons (cpu-features, sshcrypto.node)
// inside try/catch; leaving them external makes it fall back to pure JS on the device.
// ssh2 also reads `__dirname` while loading (its poly1305 wasm loader), which ESM lacks.
const banner = [
  '#!/usr/bin/env node',
  "import { createRequire as __bgCreateRequire } from 'node:module';",
  "import { fileURLToPath as __bgFileURLToPath } from 'node:url';",
  "import { dirname as __bgDirname } from 'node:path';",
  'const require = __bgCreateRequire(import.meta.url);',
  'const __filename = __bgFileURLToPath(import.meta.url);',
  'const __dirname = __bgDirname(__filename);',
].join('\n');

await build({
  entryPoints: ENTRIES,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  banner: { js: banner },
  external: ['cpu-features', '*.node'],
  sourcemap: false,
  minify: false,
  logLevel: 'warning',
  legalComments: 'none',
});
await Promise.all(Object.keys(ENTRIES).map((name) => chmod(`dist/${name}.js`, 0o755)));
