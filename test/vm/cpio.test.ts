import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { writeCpio } from '../../vm/cpio.js';

describe('writeCpio (newc)', () => {
  const archive = writeCpio([
    { name: 'bin', type: 'dir', mode: 0o755 },
    { name: '/bin/hello', type: 'file', mode: 0o755, data: Buffer.from('hi\n') },
    { name: 'dev', type: 'dir', mode: 0o755 },
    { name: 'dev/console', type: 'char', mode: 0o600, major: 5, minor: 1 },
  ]);

  it('lays out 110-byte headers, names and data on 4-byte boundaries, and ends with the trailer', () => {
    expect(archive.subarray(0, 6).toString()).toBe('070701');
    expect(archive.length % 4).toBe(0);
    // Second entry: header field 1 (mode) is S_IFREG | 0755, field 6 (filesize) 3.
    const second = archive.indexOf('070701', 6);
    const field = (at: number, i: number): number => Number.parseInt(archive.toString('latin1', at + 6 + i * 8, at + 14 + i * 8), 16);
    expect(field(second, 1)).toBe(0o100755);
    expect(field(second, 6)).toBe(3);
    expect(archive.toString('latin1', second + 110, second + 120)).toBe('bin/hello\0');
    // /dev/console: S_IFCHR | 0600, rdevmajor 5, rdevminor 1 (fields 9 and 10).
    const console = archive.indexOf('070701', archive.indexOf('dev\0'));
    expect([field(console, 1), field(console, 9), field(console, 10)]).toEqual([0o020600, 5, 1]);
    expect(archive.includes('TRAILER!!!\0')).toBe(true);
  });

  it('is what busybox cpio reads back: names, modes, the device node, file contents', () => {
    const list = execFileSync('/bin/busybox', ['cpio', '-tv'], { input: archive, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
    expect(list).toMatch(/^drwxr-xr-x .* bin$/m);
    expect(list).toMatch(/^-rwxr-xr-x .* 3 .* bin\/hello$/m);
    expect(list).toMatch(/^crw------- .* dev\/console$/m);
    const content = execFileSync('/bin/busybox', ['cpio', '-i', '--to-stdout', 'bin/hello'], { input: archive, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
    expect(content).toBe('hi\n');
  });
});
