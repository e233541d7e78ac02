// The folder rule of src/ (DESIGN.md "Layout"): every folder has one public index.ts, an
// import from outside a folder goes through it, and there are no import cycles (type-only
// imports included: they tie the folders together just the same).
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boundaryViolation, cycles, importsOf, listTsFiles } from './import-graph.js';

const root = resolve(process.env.HOUSE_ROOT ?? join(import.meta.dirname, '..', '..'));
const files = [...listTsFiles(join(root, 'src')), ...listTsFiles(join(root, 'busybox-fetch'))];
const edges = files.flatMap((file) => importsOf(root, file));

function folders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => [join(dir, e.name), ...folders(join(dir, e.name))]);
}

describe('imports between folders', () => {
  it('finds the imports (the parser works)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.length).toBeGreaterThan(500);
  });

  it('every folder under src/ has an index.ts (src/cli holds program entries only)', () => {
    const missing = folders(join(root, 'src'))
      .map((d) => d.slice(root.length + 1))
      .filter((d) => d !== 'src/cli' && !existsSync(join(root, d, 'index.ts')));
    expect(missing).toEqual([]);
    expect(edges.filter((e) => e.to.startsWith('src/cli/') && !e.from.startsWith('src/cli/'))).toEqual([]);
  });

  it('an import from outside a folder goes through its index.ts', () => {
    // Tests may reach into the unit they test.
    const bad = edges
      .filter((e) => !e.from.endsWith('.test.ts'))
      .flatMap((e) => {
        const why = boundaryViolation(e);
        return why ? [`${e.from}:${e.line} '${e.specifier}' ${why}`] : [];
      });
    expect(bad).toEqual([]);
  });

  it('has no import cycles', () => {
    expect(cycles(edges).map((c) => c.join(' -> '))).toEqual([]);
  });
});
