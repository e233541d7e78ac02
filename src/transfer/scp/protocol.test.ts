import { describe, expect, it } from 'vitest';
import { formatDir, formatError, formatFile, formatTimes, parseRecord, parseScpCommand, splitWords } from './protocol.js';

describe('parseScpCommand', () => {
  it.each([
    ['scp -t .', { mode: 'sink', recursive: false, preserve: false, targetIsDir: false, paths: ['.'] }],
    ['scp -r -p -d -t -- /tmp/x', { mode: 'sink', recursive: true, preserve: true, targetIsDir: true, paths: ['/tmp/x'] }],
    ['scp -v -f a b', { mode: 'source', recursive: false, preserve: false, targetIsDir: false, paths: ['a', 'b'] }],
    ['scp -rpf "dir with space"', { mode: 'source', recursive: true, preserve: true, targetIsDir: false, paths: ['dir with space'] }],
    ['scp -f -- -odd', { mode: 'source', recursive: false, preserve: false, targetIsDir: false, paths: ['-odd'] }],
  ])('%s', (line, want) => {
    expect(parseScpCommand(line)).toEqual(want);
  });

  it.each(['ls -t', 'scp', 'scp -t', 'scp -t a b', 'scp -x -t .', 'scp -f', "scp -t 'unterminated", 'scpx -t .'])('rejects %j', (line) => {
    expect(parseScpCommand(line)).toBeUndefined();
  });

  it('splits words like sh', () => {
    expect(splitWords(`a 'b c' "d \\"e\\"" f\\ g`)).toEqual(['a', 'b c', 'd "e"', 'f g']);
  });
});

describe('records', () => {
  it('parses the four kinds and peer errors', () => {
    expect(parseRecord('C0644 12 notes.txt')).toEqual({ type: 'file', mode: 0o644, size: 12, name: 'notes.txt' });
    expect(parseRecord('D0755 0 bin')).toEqual({ type: 'dir', mode: 0o755, name: 'bin' });
    expect(parseRecord('E')).toEqual({ type: 'end' });
    expect(parseRecord('T1700000000 0 1700000001 0')).toEqual({ type: 'times', mtime: 1700000000, atime: 1700000001 });
    expect(parseRecord('\x01scp: x: No such file')).toEqual({ type: 'error', fatal: false, message: 'scp: x: No such file' });
    expect(parseRecord('C0644 3 name with spaces')).toMatchObject({ name: 'name with spaces' });
  });

  it.each([
    ['C0644 1 ../evil', /unexpected filename: \.\./],
    ['C0644 1 a/b', /unexpected filename: a\/b/],
    ['D0755 0 ..', /unexpected filename/],
    ['D0755 0 .', /unexpected filename/],
    ['C644 1 x', /bad file record/],
    ['Cabcd 1 x', /bad file record/],
    ['T1 2', /bad times record/],
    ['X', /unknown record/],
    ['C0644 99999999999999999999 x', /out of range/],
  ])('refuses %j', (line, message) => {
    expect(() => parseRecord(line)).toThrow(message);
  });

  it('formats as OpenSSH does', () => {
    expect(formatFile(0o100755, 5, 'busybox')).toBe('C0755 5 busybox\n');
    expect(formatDir(0o40700, 'd')).toBe('D0700 0 d\n');
    expect(formatTimes(1700000000.9, 1700000001)).toBe('T1700000000 0 1700000001 0\n');
    expect(formatError('a\nb')).toBe('\x01scp: a b\n');
  });
});
