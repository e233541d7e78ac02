// The code-cache loader at the head of every dist/<name>.js (scripts/code-cache-loader.cjs):
// it writes a cache where it may, reuses it, ignores any cache it cannot trust, keeps
// stack-trace line numbers true to the file, and the program behaves the same throughout.
import { execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs build script without types
import { withCodeCacheLoader } from '../../scripts/code-cache-file.mjs';
import { startServer } from '../helpers/server.js';

const run = promisify(execFile);
const assemble = withCodeCacheLoader as (name: string, bundle: string) => string;

// A stand-in bundle: CommonJS like esbuild's output, a require, and a throw on request
// whose stack names its line.
const BUNDLE = [
  '"use strict";',
  'const path = require("node:path");',
  'function fail() {',
  '  throw new Error("asked to fail");',
  '}',
  'if (process.argv[2] === "fail") fail();',
  'process.stdout.write(`ran ${path.basename(__filename)} ${typeof module.exports}\\n`);',
].join('\n');

let dir: string;
let home: string;
let program: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'code-cache-'));
  home = join(dir, 'home');
  await mkdir(join(dir, 'bin'), { mode: 0o755 });
  await mkdir(home);
  program = join(dir, 'bin', 'tool.js');
  await writeFile(program, assemble('tool.js', BUNDLE), { mode: 0o755 });
  await writeFile(join(dir, 'bin', 'package.json'), '{ "type": "commonjs" }\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function runTool(args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { stdout } = await run(process.execPath, [program, ...args], {
    env: { PATH: process.env.PATH, HOME: home, ...env },
  });
  return stdout;
}
const cacheName = (): string => {
  let hash = 0x811c9dc5; // FNV-1a of the program's path, as the loader names its cache
  for (const ch of program) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193);
  return `.tool.js-${(hash >>> 0).toString(16).padStart(8, '0')}.v8cache`;
};
const besideProgram = (): string => join(dir, 'bin', cacheName());

describe('code-cache loader', () => {
  it('runs the bundle as CommonJS, writes a cache beside it at exit, and uses it next time', async () => {
    expect(await runTool()).toBe('ran tool.js object\n');
    const cache = await readFile(besideProgram());
    const header = cache.subarray(0, cache.indexOf(10)).toString();
    expect(header).toMatch(new RegExp(`^breakglass-v8-cache 1 [0-9a-f]{64} ${process.version} ${process.arch} ${program}$`));
    expect((await stat(besideProgram())).mode & 0o777).toBe(0o600);

    const first = await stat(besideProgram());
    expect(await runTool()).toBe('ran tool.js object\n');
    // Accepted, so not written again.
    expect((await stat(besideProgram())).mtimeMs).toBe(first.mtimeMs);
  });

  it('keeps stack-trace line numbers those of the file, with and without a cache', async () => {
    const text = await readFile(program, 'utf8');
    const throwLine = text.split('\n').findIndex((line) => line.includes('throw new Error("asked to fail")')) + 1;
    for (const attempt of ['compiled', 'cached']) {
      const failure = await runTool(['fail']).then(() => undefined, (error: { stderr: string }) => error.stderr);
      expect(failure, attempt).toContain(`${program}:${throwLine}:`);
      expect(failure, attempt).toContain('asked to fail');
    }
  });

  it('writes the cache as soon as the program says its start is done, and only when it has none', async () => {
    // Signals at once, then lives 1.5 s: well within the loader's 3 s fallback, so only the signal can write.
    const bundle = [
      'const hook = globalThis[Symbol.for("breakglass.startupDone")];',
      'process.stdout.write(typeof hook + "\\n");',
      'if (hook) hook();',
      'setTimeout(() => undefined, 1500);',
    ].join('\n');
    await writeFile(program, assemble('tool.js', bundle), { mode: 0o755 });
    const started = Date.now();
    const child = spawn(process.execPath, [program], { env: { PATH: process.env.PATH, HOME: home }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
    let written: number | undefined;
    while (written === undefined && Date.now() - started < 1200) {
      written = await stat(besideProgram()).then((st) => st.mtimeMs, () => undefined);
      if (written === undefined) await new Promise((resolveTick) => setTimeout(resolveTick, 20));
    }
    expect(child.exitCode).toBe(null); // still running: written on the signal, not at exit
    await exited;
    expect(stdout).toBe('function\n');
    expect(written).toBeDefined();
    expect(written! - started).toBeLessThan(1200);
    // With the cache accepted there is nothing to write, and no hook.
    expect(await runTool()).toBe('undefined\n');
  });

  it('replaces a cache written for another bundle and survives a corrupt one', async () => {
    await runTool();
    const cache = await readFile(besideProgram());
    const otherBundle = Buffer.from(cache.toString('latin1').replace(/ [0-9a-f]{64} /, ` ${'0'.repeat(64)} `), 'latin1');
    await writeFile(besideProgram(), otherBundle, { mode: 0o600 });
    expect(await runTool()).toBe('ran tool.js object\n');
    const headerEnd = cache.indexOf(10) + 1;
    // Rewritten for this bundle (the bytecode itself need not be byte-identical run to run).
    expect((await readFile(besideProgram())).subarray(0, headerEnd)).toEqual(cache.subarray(0, headerEnd));

    // Right header, garbage bytecode: V8 rejects it, the program runs and a good cache replaces it.
    const garbage = Buffer.concat([cache.subarray(0, headerEnd), Buffer.alloc(4096, 0x5a)]);
    await writeFile(besideProgram(), garbage, { mode: 0o600 });
    expect(await runTool()).toBe('ran tool.js object\n');
    const replaced = await readFile(besideProgram());
    expect(replaced.subarray(0, headerEnd)).toEqual(cache.subarray(0, headerEnd));
    expect(replaced).not.toEqual(garbage);
  });

  it('neither reads nor writes a cache in a directory others may write; falls back to ~/.cache', async () => {
    await chmod(join(dir, 'bin'), 0o777);
    expect(await runTool()).toBe('ran tool.js object\n');
    await expect(stat(besideProgram())).rejects.toThrow(/ENOENT/);
    const fallback = join(home, '.cache', 'breakglass', cacheName());
    expect((await stat(fallback)).isFile()).toBe(true);

    // A cache planted beside the program is not even looked at.
    await writeFile(besideProgram(), 'planted', { mode: 0o600 });
    await chmod(besideProgram(), 0o666);
    expect(await runTool()).toBe('ran tool.js object\n');
    expect(await readFile(besideProgram(), 'utf8')).toBe('planted');
  });

  it('ignores a group-writable cache file even in a trusted directory', async () => {
    await runTool();
    await chmod(besideProgram(), 0o620);
    const before = await stat(besideProgram());
    await runTool();
    // Not trusted, so treated as missing: a fresh cache replaces it (with a private mode).
    const after = await stat(besideProgram());
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o777).toBe(0o600);
  });

  it('BREAKGLASS_CODE_CACHE=off writes nothing; =DIR puts the cache there', async () => {
    expect(await runTool([], { BREAKGLASS_CODE_CACHE: 'off' })).toBe('ran tool.js object\n');
    expect(await readdir(join(dir, 'bin'))).toEqual(['package.json', 'tool.js']);
    expect(await readdir(home)).toEqual([]);

    const chosen = join(dir, 'chosen');
    expect(await runTool([], { BREAKGLASS_CODE_CACHE: chosen })).toBe('ran tool.js object\n');
    expect(await readdir(chosen)).toEqual([cacheName()]);
    expect(await readdir(join(dir, 'bin'))).toEqual(['package.json', 'tool.js']);
  });

  it('refuses bundles that cannot ride in the block comment or would need import()', () => {
    expect(() => assemble('x.js', 'const s = "caf\u00e9";')).toThrow(/x\.js: byte 0xe9 .* must be ASCII/);
    expect(() => assemble('x.js', 'const r = /a*/;')).toThrow(/x\.js: .*"\*\/" that cannot be escaped/);
    expect(() => assemble('x.js', 'const m = import("node:fs");')).toThrow(/dynamic import\(\)/);
    expect(assemble('x.js', 'obj.import("y");')).toContain('obj.import("y");');
  });

  it('carries comment ends (in strings, templates, regular expressions) and CRs through, with and without a cache', async () => {
    const bundle = 'const t = `a*/b`;\r\nprocess.stdout.write(["*/*", t, /x*\\/y/.source].join("|") + "\\n");';
    await writeFile(program, assemble('tool.js', bundle), { mode: 0o755 });
    const expected = '*/*|a*/b|x*\\/y\n';
    expect(await runTool([])).toBe(expected); // compiles, writes the cache at exit
    expect(await runTool([])).toBe(expected); // from the cache
    expect(await runTool([], { BREAKGLASS_CODE_CACHE: 'off' })).toBe(expected);
  });
});

describe('breakglassd and its code cache', () => {
  it('writes a fresh cache right after readiness, before any session, while it runs on', async () => {
    const cacheDir = join(dir, 'cache');
    const server = await startServer({ env: { ...process.env, BREAKGLASS_CODE_CACHE: cacheDir } });
    try {
      const ready = Date.now();
      const listCache = async (): Promise<string[]> => readdir(cacheDir).catch(() => []);
      const pause = async (): Promise<void> => new Promise((resolveTick) => setTimeout(resolveTick, 20));
      let names = await listCache();
      while (names.length === 0 && Date.now() - ready < 1000) {
        await pause();
        names = await listCache();
      }
      // Within a second of the listening line the write has begun (its temporary file or the
      // cache itself is there): the start-up signal, not the 3 s fallback or exit.
      expect(names).not.toEqual([]);
      // The rename that finishes it may lag on a slow machine; it must not leave the tmp behind.
      while (!names.every((name) => name.endsWith('.v8cache')) && Date.now() - ready < 10_000) {
        await pause();
        names = await listCache();
      }
      expect(names).toEqual([expect.stringMatching(/^\.breakglassd\.js-[0-9a-f]{8}\.v8cache$/)]);
      expect(server.process.exitCode).toBe(null);
    } finally {
      await server.stop();
    }
  });
});
