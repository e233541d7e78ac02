import { describe, expect, it } from 'vitest';
import { formatSize, parseDuration, parseSize } from './units.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000], ['1m30s', 90_000], ['500ms', 500], ['2h', 7_200_000], ['10', 10_000], ['0', 0], ['1.5s', 1500],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', 'soon', '30x', '5 m', '-1s'])('rejects %j with a hint', (text) => {
    expect(() => parseDuration(text, '--login-grace-time')).toThrow(/--login-grace-time: .* is not a duration \(use e\.g\. 30s/);
  });
});

describe('parseSize', () => {
  it.each([
    ['500M', 500 * 1024 ** 2], ['1G', 1024 ** 3], ['64K', 65536], ['123', 123], ['1.5G', 1.5 * 1024 ** 3], ['500MiB', 500 * 1024 ** 2],
  ])('%s → %d bytes', (text, bytes) => expect(parseSize(text)).toBe(bytes));
  it.each(['', 'lots', '5X', '-1M'])('rejects %j', (text) => {
    expect(() => parseSize(text, '--toolbox-quota')).toThrow(/--toolbox-quota: .* is not a size/);
  });
});

describe('formatSize', () => {
  it.each([
    [0, '0'], [1023, '1023'], [1024, '1.0K'], [1536, '1.5K'], [10199, '10K'], [10 * 1024, '10K'],
    [1024 ** 2 * 500, '500M'], [1024 ** 3 * 1.25, '1.3G'],
  ])('%d → %s', (bytes, text) => expect(formatSize(bytes)).toBe(text));
});
