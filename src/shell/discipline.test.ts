import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineDiscipline } from './discipline.js';
import { Job } from './interp/job.js';

function setup(raw = false): { d: LineDiscipline; echoed: () => string; received: () => string; sink: PassThrough; signals: string[]; job: Job } {
  const job = new Job(1, 'cat', false);
  const signals: string[] = [];
  job.kill = (sig): void => {
    signals.push(sig);
  };
  const sink = new PassThrough();
  const got: Buffer[] = [];
  sink.on('data', (c: Buffer) => got.push(c));
  let echo = '';
  const d = new LineDiscipline(job, sink, { echo: (t) => (echo += t) }, raw);
  return { d, echoed: () => echo, received: () => Buffer.concat(got).toString(), sink, signals, job };
}

describe('LineDiscipline (cooked mode)', () => {
  it('echoes, edits, and delivers a line on Enter', async () => {
    const t = setup();
    t.d.feed(Buffer.from('helx\x7flo\r'));
    await new Promise((r) => setImmediate(r));
    expect(t.echoed()).toBe('helx\b \blo\r\n');
    expect(t.received()).toBe('hello\n');
  });
  it('^U erases the line, ^W a word, wide characters erase two columns', async () => {
    const t = setup();
    t.d.feed(Buffer.from('junk\x15one two\x17日\x7f\n'));
    await new Promise((r) => setImmediate(r));
    expect(t.received()).toBe('one \n');
    expect(t.echoed()).toContain('\b\b  \b\b');
  });
  it('^D sends a partial line, and on an empty line ends the input', async () => {
    const t = setup();
    t.d.feed(Buffer.from('part\x04'));
    await new Promise((r) => setImmediate(r));
    expect(t.received()).toBe('part');
    expect(t.sink.writableEnded).toBe(false);
    t.d.feed(Buffer.from('\x04'));
    expect(t.sink.writableEnded).toBe(true);
  });
  it('^C ^\\ are signals to the job and echo as ^C ^\\', () => {
    const t = setup();
    t.d.feed(Buffer.from('abc\x03'));
    t.d.feed(Buffer.from('\x1c'));
    expect(t.signals).toEqual(['SIGINT', 'SIGQUIT']);
    expect(t.echoed()).toBe('abc^C^\\');
  });
  it('^Z stops the job (SIGTSTP then SIGSTOP) when it has processes', () => {
    const t = setup();
    let stopped = false;
    t.job.stop = (): boolean => (stopped = true);
    t.d.feed(Buffer.from('\x1a'));
    expect(stopped).toBe(true);
    expect(t.echoed()).toBe('^Z');
  });
  it('raw mode passes bytes through but ^C still interrupts', async () => {
    const t = setup(true);
    t.d.feed(Buffer.from('q\x1b[A'));
    await new Promise((r) => setImmediate(r));
    expect(t.received()).toBe('q\x1b[A');
    expect(t.echoed()).toBe('');
    t.d.feed(Buffer.from('\x03'));
    expect(t.signals).toEqual(['SIGINT']);
  });
});
