import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressMeter, renderProgress } from './progress.js';
import { tarballPath } from './upload.js';

describe('upload progress', () => {
  it('renders a bar with percentage and sizes', () => {
    expect(renderProgress('up', 512 * 1024, 1024 * 1024, 10)).toBe('up [#####-----]  50%  512K/1.0M');
    expect(renderProgress('up', 0, 0, 4)).toBe('up [####] 100%  0/0');
  });

  it('passes every byte through and finishes the line', async () => {
    const drawn: string[] = [];
    const meter = new ProgressMeter('x', 6, (t) => drawn.push(t), 0);
    const out: Buffer[] = [];
    Readable.from([Buffer.from('abc'), Buffer.from('def')]).pipe(meter).on('data', (c: Buffer) => out.push(c));
    await new Promise((resolve) => meter.on('end', resolve));
    expect(Buffer.concat(out).toString()).toBe('abcdef');
    expect(drawn.at(-1)).toMatch(/100%.*\n$/);
  });

  it('fills in ${GOARCH}', () => {
    expect(tarballPath('/t/debug-${GOARCH}.tar', 'arm64')).toBe('/t/debug-arm64.tar');
    expect(tarballPath('/t/debug.tar', undefined)).toBe('/t/debug.tar');
    expect(() => tarballPath('/t/debug-${GOARCH}.tar', undefined)).toThrow('X-Gokrazy-GOARCH');
  });
});
