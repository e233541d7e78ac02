import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCast } from './cast-reader.js';
import { createRecordDir, pickPrunable, recordingStamp } from './record-dir.js';

describe('recordingStamp', () => {
  it('is UTC and sorts by time', () => expect(recordingStamp(new Date(Date.UTC(2026, 11, 7, 0, 5, 9)))).toBe('20261207-000509'));
});

describe('pickPrunable', () => {
  const files = [
    { name: 'b.cast', bytes: 400, mtimeMs: 2 },
    { name: 'a.cast', bytes: 300, mtimeMs: 1 },
    { name: 'c.cast', bytes: 200, mtimeMs: 3 },
  ];
  it.each([
    [2000, 100, []],
    [1000, 100, []],
    [1000, 200, ['a.cast']],
    [600, 100, ['a.cast', 'b.cast']],
    [100, 100, ['a.cast', 'b.cast', 'c.cast']],
  ])('limit %d, room %d → %j', (limit, room, doomed) => expect(pickPrunable(files, limit, room)).toEqual(doomed));
});

describe('createRecordDir', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes one 0600 file per session, audits start/end, prunes the oldest past the total', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bg-rec-'));
    const recDir = join(dir, 'rec');
    const events: Array<[string, Record<string, unknown>]> = [];
    const factory = await createRecordDir({ dir: recDir, maxFileBytes: 1000, maxTotalBytes: 1500, recordInput: false, audit: (e, f) => events.push([e, f]) });
    expect((await stat(recDir)).mode & 0o777).toBe(0o700);
    await writeFile(join(recDir, '20000101-000000-s9.cast'), 'x'.repeat(800));
    const rec = (await factory({ id: '1', size: { cols: 80, rows: 24 }, term: 'xterm', owner: 'alice' }))!;
    rec.output(Buffer.from('hello\r\n'));
    await rec.close();
    const names = await readdir(recDir);
    expect(names).toEqual([expect.stringMatching(/^\d{8}-\d{6}-s1\.cast$/)]);
    const file = join(recDir, names[0]!);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(parseCast(await readFile(file, 'utf8')).events).toEqual([[expect.any(Number), 'o', 'hello\r\n']]);
    expect(events.map(([e]) => e)).toEqual(['record-prune', 'record-start', 'record-end']);
    expect(events[0]![1]).toMatchObject({ file: join(recDir, '20000101-000000-s9.cast') });
    expect(events[2]![1]).toMatchObject({ id: '1', file });
  });

  it('a second session in the same second gets its own file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bg-rec-'));
    const factory = await createRecordDir({ dir, maxFileBytes: 1000, maxTotalBytes: 10_000, recordInput: false, audit: () => undefined });
    const a = (await factory({ id: '1', size: { cols: 80, rows: 24 }, term: 'xterm', owner: 'a' }))!;
    const b = (await factory({ id: '1', size: { cols: 80, rows: 24 }, term: 'xterm', owner: 'a' }))!;
    await a.close();
    await b.close();
    expect((await readdir(dir)).length).toBe(2);
  });

  it('a recording still being written is never pruned; once closed it may be', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bg-rec-'));
    const events: Array<[string, Record<string, unknown>]> = [];
    const factory = await createRecordDir({ dir, maxFileBytes: 1000, maxTotalBytes: 1500, recordInput: false, audit: (e, f) => events.push([e, f]) });
    const size = { cols: 80, rows: 24 };
    const a = (await factory({ id: '1', size, term: 'xterm', owner: 'a' }))!;
    a.output(Buffer.from('x'.repeat(700)));
    const b = (await factory({ id: '2', size, term: 'xterm', owner: 'a' }))!;
    expect(events.map(([e]) => e)).toEqual(['record-start', 'record-start']);
    await a.close();
    await b.close();
    const aFile = events[0]![1].file;
    expect((await stat(aFile as string)).size).toBeGreaterThan(700);
    const c = (await factory({ id: '3', size, term: 'xterm', owner: 'a' }))!;
    await c.close();
    expect(events.filter(([e]) => e === 'record-prune')).toEqual([['record-prune', { file: aFile, reason: 'over --record-max-total' }]]);
    expect((await readdir(dir)).sort()).toEqual([expect.stringMatching(/-s2\.cast$/), expect.stringMatching(/-s3\.cast$/)]);
  });

  it('fails with the path when DIR cannot be created', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bg-rec-'));
    await writeFile(join(dir, 'file'), '');
    await expect(createRecordDir({ dir: join(dir, 'file'), maxFileBytes: 1, maxTotalBytes: 1, recordInput: false, audit: () => undefined })).rejects.toThrow(/exists and is not a directory/);
  });
});
