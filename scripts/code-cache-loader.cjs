// The head of every dist/<name>.js (scripts/build.mjs puts it there): runs the program's
// bundle, which follows in the same file as one block comment, through a V8 code cache.
// Compiling the 1.2 MB bundle was the largest part of breakglassd's cold start
// (BENCHMARKS.md "Cold start"); with the cache V8 deserializes the bytecode instead.
//
// The cache is a file in the first trusted place that works: beside the bundle (a
// writable dist/), $XDG_CACHE_HOME/breakglass (~/.cache), or /perm/.cache/breakglass
// (the appliance, whose root is read-only). BREAKGLASS_CODE_CACHE=off disables it, =DIR
// names the directory. V8 checks a cache only against the source's length, so a cache is
// taken only from a file and directory owned by us and writable by nobody else, and its
// header must name this very bundle (SHA-256 fixed at build time), its path (V8 keeps the
// file name a cache was made for in its stack traces), node version and
// architecture. A missing or unusable cache costs nothing but the normal compile; a new
// one is written when the program says its start is done (breakglassd: listening), else a
// few seconds after start, or at exit if the program ends sooner (`breakglass --version`).
'use strict';
(function runBundle() {
  const fs = require('node:fs');
  const path = require('node:path');
  const vm = require('node:vm');
  const BUNDLE_SHA256 = '@@BUNDLE_SHA256@@';
  const BUNDLE_MARK = '\n/*@@BUNDLE@@\n';
  const END_MARK = '\n@@BUNDLE-END@@*/';
  const WRITE_AFTER_MS = 3000;
  const file = __filename;
  const HEADER = Buffer.from(`breakglass-v8-cache 1 ${BUNDLE_SHA256} ${process.version} ${process.arch} ${file}\n`);
  // The bundle is the comment in `function bundleText` (the build appends that declaration
  // after this loader), already wrapped as a CommonJS module. A function's text is a
  // slice of the file text node read, so the source compiled here is a slice of a slice,
  // not a copy: each copy of the 1.2 MB bundle would cost a start ~5 ms in page faults
  // (BENCHMARKS.md analysis 10).
  const text = bundleText.toString();
  const start = text.indexOf(BUNDLE_MARK) + BUNDLE_MARK.length;
  const source = text.slice(start, text.lastIndexOf(END_MARK));
  // The file's lines before the bundle's first (counted by the build), for stack traces.
  const lineOffset = '@@BUNDLE_LINE_OFFSET@@';

  function cacheDirs() {
    const chosen = process.env.BREAKGLASS_CODE_CACHE;
    if (chosen === 'off') return [];
    if (chosen) return [chosen];
    const home = process.env.XDG_CACHE_HOME || (process.env.HOME ? path.join(process.env.HOME, '.cache') : '');
    const perm = fs.existsSync('/perm') ? '/perm/.cache/breakglass' : ''; // never create /perm itself
    return [path.dirname(file), home && path.join(home, 'breakglass'), perm].filter(Boolean);
  }
  // Named for the program's path too: installs in two places share ~/.cache without
  // overwriting each other's cache on every start.
  const cacheName = `.${path.basename(file)}-${fnv1a(file)}.v8cache`;

  function fnv1a(text) {
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    return (hash >>> 0).toString(16).padStart(8, '0');
  }

  /** Ours and writable by nobody else (a planted cache would run as its bytecode). */
  function trusted(stat) {
    const uid = typeof process.geteuid === 'function' ? process.geteuid() : stat.uid;
    return stat.uid === uid && (stat.mode & 0o022) === 0;
  }

  function readCache() {
    for (const dir of cacheDirs()) {
      try {
        if (!trusted(fs.statSync(dir))) continue;
        const cachePath = path.join(dir, cacheName);
        const stat = fs.lstatSync(cachePath);
        if (!stat.isFile() || !trusted(stat)) continue;
        const data = fs.readFileSync(cachePath);
        if (data.subarray(0, HEADER.length).equals(HEADER)) return data.subarray(HEADER.length);
      } catch {
        // missing or unreadable: try the next place
      }
    }
    return undefined;
  }

  function writeCache(script) {
    const data = Buffer.concat([HEADER, script.createCachedData()]);
    for (const dir of cacheDirs()) {
      const tmp = path.join(dir, `${cacheName}.${process.pid}.tmp`);
      try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        if (!trusted(fs.statSync(dir))) continue;
        fs.writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
        fs.renameSync(tmp, path.join(dir, cacheName));
        return;
      } catch {
        try { fs.unlinkSync(tmp); } catch { /* never created */ }
      }
    }
  }

  const cachedData = readCache();
  const script = new vm.Script(source, { filename: file, lineOffset, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    let written = false;
    const writeOnce = () => {
      if (written) return;
      written = true;
      writeCache(script);
    };
    setTimeout(writeOnce, WRITE_AFTER_MS).unref();
    process.once('exit', writeOnce);
    // A daemon calls this once its start is done (src/common/startup.ts): the cache then
    // holds just what a start compiles. One written later, after sessions and uploads, was
    // 2.4x larger and made every later start ~50 ms slower (bench/ANALYSIS.md 18).
    globalThis[Symbol.for('breakglass.startupDone')] = () => setImmediate(writeOnce);
  }
  script.runInThisContext().call(module.exports, module.exports, require, module, file, path.dirname(file));
})();
