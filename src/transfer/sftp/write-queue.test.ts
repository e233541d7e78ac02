import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WriteQueue } from './write-queue.js';

describe('WriteQueue', () => {
  it('writes out-of-order and contiguous writes, answering each once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bg-wq-'));
    const fh = await open(join(dir, 'f'), 'w+');
    try {
      let drained = 0;
      const q = new WriteQueue(fh, false, () => drained++);
      const done: number[] = [];
      const parts = [[4, 'EF'], [0, 'AB'], [2, 'CD'], [6, 'GH']] as const;
      parts.forEach(([offset, text], i) => q.push({ offset, data: Buffer.from(text), done: (err) => (err ? done.push(-1) : done.push(i)) }));
      expect(q.queuedBytes).toBeGreaterThan(0);
      await q.idle();
      expect(done.sort()).toEqual([0, 1, 2, 3]);
      expect(q.bytesWritten).toBe(8);
      expect(q.queuedBytes).toBe(0);
      expect(drained).toBeGreaterThan(0);
      expect(await readFile(join(dir, 'f'), 'utf8')).toBe('ABCDEFGH');
    } finally {
      await fh.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('appends in arrival order with O_APPEND', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bg-wq-'));
    const fh = await open(join(dir, 'f'), 'a');
    try {
      const q = new WriteQueue(fh, true, () => undefined);
      for (const text of ['one ', 'two ', 'three']) q.push({ offset: 0, data: Buffer.from(text), done: () => undefined });
      await q.idle();
      expect(await readFile(join(dir, 'f'), 'utf8')).toBe('one two three');
    } finally {
      await fh.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a write error to every write of the batch', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bg-wq-'));
    await (await open(join(dir, 'f'), 'w')).close();
    const fh = await open(join(dir, 'f'), 'r'); // read-only: writes fail with EBADF
    try {
      const q = new WriteQueue(fh, false, () => undefined);
      const errors: unknown[] = [];
      q.push({ offset: 0, data: Buffer.from('x'), done: (err) => errors.push(err) });
      await q.idle();
      expect(errors).toHaveLength(1);
      expect((errors[0] as { code?: string }).code).toBe('EBADF');
      expect(q.failed).toBe(true);
    } finally {
      await fh.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
