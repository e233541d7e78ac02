// No synchronous file-system call on a session's path: one slow statSync on a hung NFS
// mount would stall every SSH session at once (they share one event loop). Scans the
// shell and the /proc readers for node:fs's *Sync functions and names file:line.
import * as fs from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/server.js';

const SCANNED = ['src/shell', 'src/proc'];
// Every *Sync function node:fs exports (readFileSync, statSync, openSync, closeSync …).
const SYNC_NAMES = Object.keys(fs).filter((name) => name.endsWith('Sync'));
const CALL = new RegExp(`\\b(${SYNC_NAMES.join('|')})\\s*\\(`);

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = await Promise.all(
    entries.map(async (e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return sourceFiles(path);
      // Unit tests may set up fixtures synchronously.
      return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
    }),
  );
  return files.flat();
}

/** `file:line: text` for every synchronous fs call in the scanned folders. */
async function syncCalls(): Promise<string[]> {
  const found: string[] = [];
  for (const top of SCANNED) {
    for (const file of await sourceFiles(join(REPO, top))) {
      const lines = (await readFile(file, 'utf8')).split('\n');
      lines.forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '');
        if (CALL.test(code)) found.push(`${relative(REPO, file)}:${i + 1}: ${line.trim()}`);
      });
    }
  }
  return found;
}

describe('no synchronous fs call in src/shell and src/proc', () => {
  it('knows the names it looks for', () => {
    expect(SYNC_NAMES).toEqual(expect.arrayContaining(['statSync', 'readdirSync', 'openSync', 'closeSync', 'readFileSync', 'accessSync']));
    expect(CALL.test('const st = statSync(path);')).toBe(true);
    expect(CALL.test('await stat(path);')).toBe(false);
  });

  it('finds none', async () => {
    expect(await syncCalls()).toEqual([]);
  });
});
