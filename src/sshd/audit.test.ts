import { describe, expect, it } from 'vitest';
import { createAuditLog, formatJsonEvent, formatTextEvent } from './audit.js';

describe('audit log', () => {
  it('text: event then key=value, quoting values with spaces, skipping undefined', () => {
    expect(formatTextEvent('auth', { result: 'ok', key: 'SHA256:abc+/x', comment: 'me at laptop', line: 3, gone: undefined })).toBe(
      'breakglassd: auth result=ok key=SHA256:abc+/x comment="me at laptop" line=3',
    );
    expect(formatTextEvent('exec', { command: 'a="b"' })).toBe('breakglassd: exec command="a=\\"b\\""');
  });

  it('json: one object with time and event first', () => {
    const line = formatJsonEvent('auth', { result: 'fail', gone: undefined }, new Date(Date.UTC(2030, 0, 1)));
    expect(JSON.parse(line)).toEqual({ time: '2030-01-01T00:00:00.000Z', event: 'auth', result: 'fail' });
    expect(line.startsWith('{"time":')).toBe(true);
  });

  it('writes one line per event and warnings as events', () => {
    const lines: string[] = [];
    const log = createAuditLog('json', (l) => lines.push(l));
    log.event('connect', { from: '127.0.0.1:1' });
    log.warn('bad line', { line: 2 });
    expect(lines.map((l) => JSON.parse(l) as { event: string })).toMatchObject([
      { event: 'connect', from: '127.0.0.1:1' },
      { event: 'warning', message: 'bad line', line: 2 },
    ]);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
  });
});
