import { describe, expect, it } from 'vitest';
import { LineRing } from './ringBuffer.js';

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

  it('keeps only the last `capacity` lines', () => {
    const ring = new LineRing(100);
    for (let i = 0; i < 250; i++) ring.write(`line ${i}\n`);
    const lines = ring.snapshot();
    expect(lines).toHaveLength(100);
    expect(lines[0]).toBe('line 150');
    expect(lines[99]).toBe('line 249');
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
