// Assembles a dist/<name>.js: `#!`, the loader scripts/code-cache-loader.cjs, then the
// bundle, wrapped as a CommonJS module, in one block comment between two marks inside
// a function that is never called (`bundleText`). The loader finds it there and runs it
// through a V8 code cache; the program stays one self-contained file.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { transformSync } from 'esbuild';

const LOADER_PATH = new URL('./code-cache-loader.cjs', import.meta.url);
// What node's Module.wrap puts around a CommonJS module (the loader compiles the result).
const WRAP_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const WRAP_TAIL = '\n});';

/**
 * The bundle with every comment end escaped, so it can ride in a block comment: in the
 * strings where it occurs ("scans /proc/*" + "/fd") `*\/` means the same. Checked, not
 * assumed: esbuild must print both texts alike, which fails for a regular expression
 * ending in `*` or a raw template, and the build then stops with this message.
 */
function withoutCommentEnds(name, bundle) {
  if (!bundle.includes('*/')) return bundle;
  const escaped = bundle.replaceAll('*/', '*\\/');
  const print = (text) => transformSync(text, { loader: 'js', minifyWhitespace: true, logLevel: 'silent' }).code;
  let same = false;
  try {
    same = print(escaped) === print(bundle);
  } catch {
    // a syntax error after escaping: not the same program
  }
  if (!same) throw new Error(`${name}: the bundle holds a "*/" that cannot be escaped as "*\\/" (a regular expression or raw template?); it cannot ride in the code-cache file`);
  return escaped;
}

/** The file text for the bundle `bundle` of program `name` (only named in errors). */
export function withCodeCacheLoader(name, bundle) {
  const loader = readFileSync(LOADER_PATH, 'latin1');
  // One non-ASCII byte anywhere makes V8 hold the whole file as a two-byte string.
  if (/[^\x00-\x7f]/.test(loader)) throw new Error('scripts/code-cache-loader.cjs must be ASCII');
  // ASCII keeps the file a one-byte string in V8 (half the memory of two-byte), and the
  // loader's slice of it exactly the bundle.
  const bad = /[^\x00-\x7f]/.exec(bundle);
  if (bad) throw new Error(`${name}: byte 0x${bad[0].charCodeAt(0).toString(16)} at ${bad.index}: the bundle must be ASCII`);
  // A cached Script has no dynamic-import callback (Node 20): import() would throw.
  const dynamicImport = /(^|[^\w$.])import\(/.exec(bundle);
  if (dynamicImport) throw new Error(`${name}: dynamic import() at ${dynamicImport.index}; use a static import (the code-cache loader cannot serve import())`);
  const body = `${WRAP_HEAD}${withoutCommentEnds(name, bundle)}${WRAP_TAIL}`;
  const sha256 = createHash('sha256').update(body).digest('hex');
  const head = loader.replace('@@BUNDLE_SHA256@@', sha256);
  // The loader reads the bundle as the text of this function (no copy of it, see there).
  const before = `#!/usr/bin/env node\n${head.trimEnd()}\nfunction bundleText() {\n/*@@BUNDLE@@\n`;
  const lineOffset = before.split('\n').length - 1;
  return `${before.replace("'@@BUNDLE_LINE_OFFSET@@'", String(lineOffset))}${body}\n@@BUNDLE-END@@*/\n}\n`;
}
