// The build's ssh2 patches (scripts/ssh2-patches.mjs) apply to the installed ssh2,
// exactly once, land in the breakglassd bundle, and refuse an ssh2 that changed.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs build script without types
import { SSH2_PATCHES, applySsh2Patches } from '../../scripts/ssh2-patches.mjs';
import { DIST, REPO } from '../helpers/server.js';

interface Ssh2Patch { file: string; why: string; find: string; replace: string; marker: string }
const patches = SSH2_PATCHES as Ssh2Patch[];

describe('ssh2 patches', () => {
  it.each(patches.map((p) => [p.why, p] as const))('%s: applies to the installed ssh2 and reaches the bundle', async (_why, patch) => {
    const original = await readFile(join(REPO, patch.file), 'utf8');
    const patched = (applySsh2Patches as (path: string, text: string) => string)(join(REPO, patch.file), original);
    expect(patched).not.toBe(original);
    expect(patched).toContain(patch.replace);
    // A patch that only inserts lines keeps its anchor text; any other leaves none of it.
    if (!patch.replace.includes(patch.find)) expect(patched).not.toContain(patch.find);
    // The bundle carries the patched line (minified, so compare the patch's marker).
    const bundle = await readFile(join(DIST, 'breakglassd.js'), 'utf8');
    expect(bundle).toContain(patch.marker);
  });

  it('fails loudly when ssh2 no longer has the text a patch replaces', () => {
    const [patch] = patches;
    expect(() => (applySsh2Patches as (path: string, text: string) => string)(patch.file, 'module.exports = 1;'))
      .toThrow(/expected its text once .* found 0 times/);
  });

  it('leaves files no patch names alone', () => {
    expect((applySsh2Patches as (path: string, text: string) => string)('node_modules/ssh2/lib/client.js', 'x')).toBe('x');
  });
});
