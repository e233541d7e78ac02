import { describe, expect, it } from 'vitest';
import { PrefixedLines, jsonSink, outDirSink, prefixFor, summaryLines, textSink } from './fleet-output.js';
import type { HostResult, SinkSetup } from './fleet-output.js';

function capture(hosts: string[], colour = false): SinkSetup & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    hosts,
    colour: { stdout: colour, stderr: colour },
    writers: { stdout: (d) => (out += d.toString()), stderr: (d) => (err += d.toString()) },
    out: () => out,
    err: () => err,
  };
}

const ok = (host: string): HostResult => ({ host, status: 'ok', exitCode: 0, durationMs: 12, error: null });

describe('prefixed lines', () => {
  it('prefixes whole lines, joins lines split across chunks and ends an unfinished one', () => {
    let text = '';
    const lines = new PrefixedLines('pi: ', (d) => (text += d.toString()));
    lines.push(Buffer.from('one\ntw'));
    expect(text).toBe('pi: one\n');
    lines.push(Buffer.from('o\n\nthr'));
    lines.end();
    expect(text).toBe('pi: one\npi: two\npi: \npi: thr\n');
  });

  it('keeps a UTF-8 character split between chunks whole', () => {
    let text = '';
    const lines = new PrefixedLines('pi: ', (d) => (text += d.toString('utf8')));
    const euro = Buffer.from('€\n');
    lines.push(euro.subarray(0, 1));
    lines.push(euro.subarray(1));
    expect(text).toBe('pi: €\n');
  });

  it('colours the host name only when asked', () => {
    expect(prefixFor('pi', 0, false)).toBe('pi: ');
    expect(prefixFor('pi', 0, true)).toBe('\x1b[36mpi\x1b[0m: ');
    expect(prefixFor('pi', 1, true)).not.toBe(prefixFor('pi', 0, true));
  });
});

describe('text output', () => {
  it('interleaves hosts line by line, stdout to stdout and stderr (and our messages) to stderr', async () => {
    const io = capture(['a', 'b']);
    const sink = textSink(io);
    sink.stdout('a', Buffer.from('a1\na'));
    sink.stdout('b', Buffer.from('b1\n'));
    sink.stderr('b', Buffer.from('oops\n'));
    sink.log('a', 'starting /user/breakglass on pi');
    await sink.done(ok('a'));
    expect(io.out()).toBe('a: a1\nb: b1\na: a\n');
    expect(io.err()).toBe('b: oops\na: breakglass: starting /user/breakglass on pi\n');
  });
});

describe('json output', () => {
  it('writes one object per host when it finishes, with its whole output', async () => {
    const io = capture(['a', 'b']);
    const sink = jsonSink(io);
    sink.stdout('a', Buffer.from('out'));
    sink.stdout('a', Buffer.from('put\n'));
    sink.stderr('a', Buffer.from('err\n'));
    sink.log('a', 'pinned host key SHA256:x');
    await sink.done({ host: 'a', status: 'failed', exitCode: 3, durationMs: 40, error: 'exit status 3' });
    await sink.done({ host: 'b', status: 'unreachable', exitCode: null, durationMs: 5, error: 'cannot reach the web UI' });
    const objects = io.out().trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(objects).toEqual([
      { host: 'a', status: 'failed', exitCode: 3, stdout: 'output\n', stderr: 'err\n', durationMs: 40, error: 'exit status 3' },
      { host: 'b', status: 'unreachable', exitCode: null, stdout: '', stderr: '', durationMs: 5, error: 'cannot reach the web UI' },
    ]);
    expect(io.err()).toBe('a: breakglass: pinned host key SHA256:x\n');
  });
});

describe('--out output', () => {
  it('hands each host its stdout once it is done and keeps stderr prefixed', async () => {
    const io = capture(['a']);
    const files = new Map<string, string>();
    const sink = outDirSink(io, async (host, data) => void files.set(host, data.toString()));
    sink.stdout('a', Buffer.from('x\ny'));
    sink.stderr('a', Buffer.from('warn\n'));
    expect(files.size).toBe(0);
    await sink.done(ok('a'));
    expect(files.get('a')).toBe('x\ny');
    expect(io.out()).toBe('');
    expect(io.err()).toBe('a: warn\n');
  });
});

describe('summary', () => {
  it('counts and lists the hosts that are not ok, in order', () => {
    expect(summaryLines([
      ok('a'),
      { host: 'b', status: 'failed', exitCode: 2, durationMs: 1, error: 'exit status 2' },
      { host: 'c', status: 'unreachable', exitCode: null, durationMs: 1, error: 'connection refused' },
      { host: 'd', status: 'skipped', exitCode: null, durationMs: 0, error: 'interrupted before it started' },
    ])).toEqual([
      '4 hosts: 1 ok, 1 failed, 1 unreachable, 1 not run',
      '  b failed: exit status 2',
      '  c unreachable: connection refused',
      '  d not run: interrupted before it started',
    ]);
    expect(summaryLines([ok('a')])).toEqual(['1 host: 1 ok, 0 failed, 0 unreachable']);
  });
});
