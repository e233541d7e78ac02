import { describe, expect, it } from 'vitest';
import { LineRing } from './ring-buffer.js';

describe('LineRing', () => {
  it('keeps complete lines and waits for the newline of a partial one', () => {
    const ring = new LineRing();
    ring.write('one\ntw');
    expect(ring.snapshot()).toEqual(['one']);
    ring.write('o\r\nthree');
    expect(ring.snapshot()).toEqual(['one', 'two']);
    ring.flush();
    expect(ring.snapshot()).toEqual(['one', 'two', 'three']);
    expect(ring.last()).toBe('three');
  });

  it('keeps the last `capacity` lines and the first lines of the current run', () => {
    const ring = new LineRing(100, 3);
    ring.write('old run\n');
    ring.markStart();
    for (let i = 0; i < 250; i++) ring.write(`line ${i}\n`);
    const lines = ring.snapshot();
    expect(lines).toHaveLength(103);
    expect(lines.slice(0, 4)).toEqual(['line 0', 'line 1', 'line 2', 'line 150']);
    expect(lines.at(-1)).toBe('line 249');
    expect(ring.last()).toBe('line 249');
  });

  it('lists a line once while the head still overlaps the ring', () => {
    const ring = new LineRing(100, 20);
    ring.markStart();
    for (let i = 0; i < 5; i++) ring.write(`line ${i}\n`);
    expect(ring.snapshot()).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
  });

  it('tells subscribers about each new line until they unsubscribe', () => {
    const ring = new LineRing();
    const seen: string[] = [];
    const off = ring.subscribe((line) => seen.push(line));
    ring.write('a\nb\n');
    off();
    ring.write('c\n');
    expect(seen).toEqual(['a', 'b']);
  });

  it('cuts a runaway line without newline instead of growing forever', () => {
    const ring = new LineRing();
    ring.write('x'.repeat(70 * 1024));
    expect(ring.snapshot()).toHaveLength(1);
  });
});
