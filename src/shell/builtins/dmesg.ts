// dmesg: the kernel log from /dev/kmsg (Documentation/ABI/testing/dev-kmsg). Opened
// O_RDONLY|O_NONBLOCK: every read(2) returns one record, EAGAIN at the end of the
// buffer, EPIPE when the reader fell behind and records were overwritten (skip on).
// -w keeps reading until ^C, polling after EAGAIN (Node cannot poll(2) a char device).
import { close, constants, open, read } from 'node:fs';
import { join } from 'node:path';
import { errnoCode } from '../../os/index.js';
import { KMSG_LEVELS, formatKmsgRecord, formatLongStart, parseKmsgRecord, readSystemStat } from '../../proc/index.js';
import type { KmsgRecord } from '../../proc/index.js';
import type { OptionSpec } from '../options.js';
import type { Builtin, BuiltinContext } from '../types.js';
import { fail } from './io.js';
import { JsonArrayWriter, LineWriter, parseOrExit, usageError } from './system-util.js';

const USAGE = `Usage: dmesg [-w] [-r] [-l LEVEL[,LEVEL…]] [--json]
Print the kernel ring buffer, read from /dev/kmsg: "[    1.234567] message".
  -w, --follow     keep printing new messages until ^C
  -r, --raw        prefix each line with its <priority>
  -T, --ctime      wall-clock time instead of seconds since boot (may be off after
                   suspend/resume, as with util-linux dmesg)
  -l, --level LIST only these levels: ${KMSG_LEVELS.join(', ')}
      --json       [{"time_us", "level", "facility", "sequence", "message"}]
Reading /dev/kmsg needs root (or CAP_SYSLOG when kernel.dmesg_restrict=1).
`;

const RECORD_MAX = 8192; // larger than any record (the kernel's LOG_LINE_MAX + dict)
const FOLLOW_POLL_MS = 250;

function openNonBlocking(path: string): Promise<number> {
  return new Promise((resolve, reject) => open(path, constants.O_RDONLY | constants.O_NONBLOCK, (err, fd) => (err ? reject(err) : resolve(fd))));
}

/** One read(2): the record text, or 'again' at the end of the buffer, or 'lost'. */
function readRecord(fd: number, buf: Buffer): Promise<string | 'again' | 'lost'> {
  return new Promise((resolve, reject) =>
    read(fd, buf, 0, buf.length, null, (err, n) => {
      if (err) {
        const code = errnoCode(err);
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return resolve('again');
        if (code === 'EPIPE') return resolve('lost');
        return reject(err);
      }
      resolve(n === 0 ? 'again' : buf.toString('utf8', 0, n));
    }),
  );
}

/**
 * Splits what one read returned into records. /dev/kmsg gives one per read; a plain file
 * (a saved log, a test fixture) gives many: a record starts on a line not beginning with
 * a space (continuation lines ` KEY=value` do).
 */
export function splitRecords(text: string): string[] {
  const records: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith(' ') && records.length > 0) records[records.length - 1] += `\n${line}`;
    else records.push(line);
  }
  return records;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function explain(err: unknown, path: string): string {
  const code = errnoCode(err);
  if (code === 'EACCES' || code === 'EPERM') return `read kernel buffer failed: ${path}: Permission denied (needs root, or CAP_SYSLOG when kernel.dmesg_restrict=1)`;
  if (code === 'ENOENT') return `${path} does not exist (is devtmpfs mounted on /dev?)`;
  return `cannot read ${path}: ${(err as Error).message}`;
}

interface Settings {
  /** Levels to print (empty: all). */
  levels: Set<number>;
  follow: boolean;
  raw: boolean;
  json: boolean;
  /** -T: the boot time in ms since the epoch, to print wall-clock times. */
  bootMs: number | undefined;
}

const OPTION_SPEC: OptionSpec = { flags: 'wrxT', values: 'l', long: { follow: false, raw: false, json: false, level: true, ctime: false } };

/** The options, or the exit code after a usage error or a -T without the boot time. */
async function settingsOf(args: string[], ctx: BuiltinContext): Promise<Settings | number> {
  const opts = await parseOrExit('dmesg', USAGE, args, OPTION_SPEC, ctx);
  if (typeof opts === 'number') return opts;
  if (opts.operands.length > 0) return usageError('dmesg', `bad usage: unexpected argument '${opts.operands[0]}'`, ctx);
  const levelNames = [...opts.all('l'), ...opts.all('level')].flatMap((l) => l.split(',')).filter(Boolean);
  const levels = new Set<number>();
  for (const name of levelNames) {
    const index = KMSG_LEVELS.indexOf(name as (typeof KMSG_LEVELS)[number]);
    if (index === -1) return usageError('dmesg', `unknown level '${name}' (valid: ${KMSG_LEVELS.join(', ')})`, ctx);
    levels.add(index);
  }
  let bootMs: number | undefined;
  if (opts.has('T') || opts.has('ctime')) {
    try {
      bootMs = (await readSystemStat(ctx.services.procRoot)).btime * 1000;
    } catch (err) {
      return fail(ctx.stderr, 'dmesg', `-T needs the boot time from ${ctx.services.procRoot}/stat: ${(err as Error).message}`);
    }
  }
  return { levels, follow: opts.has('w') || opts.has('follow'), raw: opts.has('r') || opts.has('raw'), json: opts.has('json'), bootMs };
}

/**
 * Reads whole records from an open kmsg. A plain file may cut a record between two reads,
 * so the unfinished tail is kept for the next read and handed out at the end of the file.
 */
class KmsgReader {
  private readonly buf = Buffer.alloc(RECORD_MAX);
  private pending = '';

  constructor(private readonly fd: number) {}

  /** Whole lines read (maybe none), or 'again' at the end of the buffer, or 'lost' (overrun). */
  async next(): Promise<string | 'again' | 'lost'> {
    const chunk = await readRecord(this.fd, this.buf);
    if (chunk === 'lost') return 'lost';
    if (chunk === 'again') {
      const rest = this.pending;
      this.pending = '';
      return rest === '' ? 'again' : rest;
    }
    const text = this.pending + chunk;
    const end = text.lastIndexOf('\n') + 1;
    this.pending = text.slice(end);
    return text.slice(0, end);
  }
}

/** Prints the records the settings select, as text lines or as a streamed JSON array. */
class RecordPrinter {
  private readonly json: JsonArrayWriter | undefined;

  constructor(
    private readonly out: LineWriter,
    private readonly s: Settings,
  ) {
    this.json = s.json ? new JsonArrayWriter(out) : undefined;
  }

  async print(record: KmsgRecord): Promise<void> {
    if (this.s.levels.size > 0 && !this.s.levels.has(record.level)) return;
    if (this.json) {
      await this.json.item({ time_us: record.timestampUs, level: KMSG_LEVELS[record.level], facility: record.facility, sequence: record.sequence, message: record.message });
    } else if (this.s.bootMs !== undefined) {
      const prefix = this.s.raw ? `<${(record.facility << 3) | record.level}>` : '';
      await this.out.line(`${prefix}[${formatLongStart(this.s.bootMs + record.timestampUs / 1000)}] ${record.message}`);
    } else await this.out.line(formatKmsgRecord(record, this.s.raw));
  }

  flush(): Promise<void> {
    return this.out.flush();
  }

  async end(): Promise<void> {
    if (this.json) await this.json.end();
    await this.out.flush();
  }
}

/** Prints records until the end of the buffer (with -w: until ^C, polling). */
async function printRecords(reader: KmsgReader, printer: RecordPrinter, follow: boolean, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const got = await reader.next();
    if (got === 'lost') continue;
    if (got === 'again') {
      if (!follow) return;
      await printer.flush();
      await sleep(FOLLOW_POLL_MS, signal);
      continue;
    }
    for (const text of splitRecords(got)) {
      let record: KmsgRecord;
      try {
        record = parseKmsgRecord(text);
      } catch {
        continue; // not a kmsg record (corrupt or foreign line): skip, keep the rest
      }
      await printer.print(record);
    }
  }
}

async function runDmesg(args: string[], ctx: BuiltinContext): Promise<number> {
  const settings = await settingsOf(args, ctx);
  if (typeof settings === 'number') return settings;
  const path = join(ctx.services.devRoot, 'kmsg');
  let fd: number;
  try {
    fd = await openNonBlocking(path);
  } catch (err) {
    return fail(ctx.stderr, 'dmesg', explain(err, path));
  }
  const out = new LineWriter(ctx.stdout);
  try {
    const printer = new RecordPrinter(out, settings);
    await printRecords(new KmsgReader(fd), printer, settings.follow, ctx.signal);
    await printer.end();
  } catch (err) {
    await out.flush().catch(() => undefined);
    if (errnoCode(err) === 'EINVAL' || errnoCode(err) === 'EACCES' || errnoCode(err) === 'EPERM') return fail(ctx.stderr, 'dmesg', explain(err, path));
    throw err;
  } finally {
    close(fd, () => undefined);
  }
  return ctx.signal.aborted ? 130 : 0;
}

export const dmesg: Builtin = { name: 'dmesg', summary: 'kernel log from /dev/kmsg (-w follows)', usage: USAGE, run: runDmesg };
