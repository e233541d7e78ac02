// ssh2 is CommonJS and reads `__dirname` while loading (its bundled poly1305 wasm
// loader). Our esbuild bundles are ESM, where that name does not exist; define it
// before ssh2 loads. Import this first in any entry that bundles ssh2.
// (Better placed in scripts/build.mjs's banner; then this file can go.)
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const g = globalThis as { __dirname?: string; __filename?: string };
g.__filename ??= fileURLToPath(import.meta.url);
g.__dirname ??= dirname(g.__filename);
