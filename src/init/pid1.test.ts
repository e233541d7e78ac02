import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countZombies, parseStatStateAndParent } from './pid1.js';

describe('PID 1 zombie accounting', () => {
  it('parses state and parent even when the command name has spaces and parentheses', () => {
    expect(parseStatStateAndParent('42 (a (b) c) Z 1 42 42 0 -1')).toEqual({ state: 'Z', ppid: 1 });
    expect(parseStatStateAndParent('garbage')).toBeUndefined();
  });

  it('counts no zombies of a fresh process on the real /proc', async () => {
    expect(await countZombies(process.pid)).toBe(0);
  });

  it('leaves out our own children, which libuv reaps, and counts the orphans', async () => {
    const root = mkdtempSync(join(tmpdir(), 'proc-'));
    try {
      const proc = (pid: number, stat: string): void => {
        mkdirSync(join(root, String(pid)));
        writeFileSync(join(root, String(pid), 'stat'), `${pid} ${stat}`);
      };
      proc(1, '(node) S 0 1 1 0 -1');
      proc(20, '(crash) Z 1 20 20 0 -1'); // a service of ours, exited, not yet reaped
      proc(21, '(orphan) Z 1 21 21 0 -1'); // a grandchild re-parented to us
      proc(22, '(sleeper) S 1 22 22 0 -1'); // a live child
      proc(23, '(elsewhere) Z 7 23 23 0 -1'); // a zombie of someone else
      mkdirSync(join(root, 'self'));
      expect(await countZombies(1, { procRoot: root })).toBe(2);
      expect(await countZombies(1, { procRoot: root, ownChildren: () => [20, 22] })).toBe(1);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
