// Assembles a dist/<name>.js: `#!`, the loader scripts/code-cache-loader.cjs, a mark, then
// the bundle with every line behind `//`. The loader finds the bundle after the mark and
// runs it through a V8 code cache; the program stays one self-contained file.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const LOADER_PATH = new URL('./code-cache-loader.cjs', import.meta.url);

/** The file text for the bundle `bundle` of program `name` (only named in errors). */
export function withCodeCacheLoader(name, bundle) {
  const loader = readFileSync(LOADER_PATH, 'latin1');
  // One non-ASCII byte anywhere makes V8 hold the whole file as a two-byte string.
  if (/[^\x00-\x7f]/.test(loader)) throw new Error('scripts/code-cache-loader.cjs must be ASCII');
  // Line comments end at any JS line terminator; ASCII rules out U+2028/2029, and \r is
  // refused too. The loader reads the file as latin1, which equals UTF-8 for ASCII.
  const bad = /[^\x00-\x7f]|\r/.exec(bundle);
  if (bad) throw new Error(`${name}: byte 0x${bad[0].charCodeAt(0).toString(16)} at ${bad.index}: the bundle must be ASCII without CR to ride in line comments`);
  // A cached Script has no dynamic-import callback (Node 20): import() would throw.
  const dynamicImport = /(^|[^\w$.])import\(/.exec(bundle);
  if (dynamicImport) throw new Error(`${name}: dynamic import() at ${dynamicImport.index}; use a static import (the code-cache loader cannot serve import())`);
  const sha256 = createHash('sha256').update(bundle).digest('hex');
  const head = loader.replace('@@BUNDLE_SHA256@@', sha256);
  return `#!/usr/bin/env node\n${head.trimEnd()}\n//@@BUNDLE@@\n//${bundle.replaceAll('\n', '\n//')}`;
}
