// dmesg: the kernel log from /dev/kmsg (Documentation/ABI/testing/dev-kmsg). Opened
// O_RDONLY|O_NONBLOCK: every read(2) returns one record, EAGAIN at the end of the
// buffer, EPIPE when the reader fell behind and records were overwritten (skip on).
// -w keeps reading until ^C, polling after EAGAIN (Node cannot poll(2) a char device).
import { close, constants, open, read } from 'node:fs';
import { join } from 'node:path';
import { errnoCode } from '../../os/index.js';
import { KMSG_LEVELS, formatKmsgRecord, formatLongStart, parseKmsgRecord, readSystemStat } from '../../proc/index.js';
import type { KmsgRecord } from '../../proc/index.js';
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

async function runDmesg(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = await parseOrExit('dmesg', USAGE, args, { flags: 'wrxT', values: 'l', long: { follow: false, raw: false, json: false, level: true, ctime: false } }, ctx);
  if (typeof opts === 'number') return opts;
  if (opts.operands.length > 0) return usageError('dmesg', `bad usage: unexpected argument '${opts.operands[0]}'`, ctx);
  const levelNames = [...opts.all('l'), ...opts.all('level')].flatMap((l) => l.split(',')).filter(Boolean);
  const levels = new Set<number>();
  for (const name of levelNames) {
    const index = KMSG_LEVELS.indexOf(name as (typeof KMSG_LEVELS)[number]);
    if (index === -1) return usageError('dmesg', `unknown level '${name}' (valid: ${KMSG_LEVELS.join(', ')})`, ctx);
    levels.add(index);
  }
  const follow = opts.has('w') || opts.has('follow');
  const raw = opts.has('r') || opts.has('raw');
  let bootMs: number | undefined;
  if (opts.has('T') || opts.has('ctime')) {
    try {
      bootMs = (await readSystemStat(ctx.services.procRoot)).btime * 1000;
    } catch (err) {
      return fail(ctx.stderr, 'dmesg', `-T needs the boot time from ${ctx.services.procRoot}/stat: ${(err as Error).message}`);
    }
  }
  const path = join(ctx.services.devRoot, 'kmsg');
  let fd: number;
  try {
    fd = await openNonBlocking(path);
  } catch (err) {
    return fail(ctx.stderr, 'dmesg', explain(err, path));
  }
  const out = new LineWriter(ctx.stdout);
  const json = opts.has('json') ? new JsonArrayWriter(out) : undefined;
  const buf = Buffer.alloc(RECORD_MAX);
  const emit = async (record: KmsgRecord): Promise<void> => {
    if (levels.size > 0 && !levels.has(record.level)) return;
    if (json) {
      await json.item({ time_us: record.timestampUs, level: KMSG_LEVELS[record.level], facility: record.facility, sequence: record.sequence, message: record.message });
    } else if (bootMs !== undefined) {
      await out.line(`${raw ? `<${(record.facility << 3) | record.level}>` : ''}[${formatLongStart(bootMs + record.timestampUs / 1000)}] ${record.message}`);
    } else await out.line(formatKmsgRecord(record, raw));
  };
  // A plain file may cut a record between two reads; keep the unfinished tail.
  let pending = '';
  try {
    for (;;) {
      if (ctx.signal.aborted) break;
      const chunk = await readRecord(fd, buf);
      let got = chunk;
      if (chunk !== 'again' && chunk !== 'lost') {
        const text = pending + chunk;
        const end = text.lastIndexOf('\n') + 1;
        pending = text.slice(end);
        got = text.slice(0, end);
      } else if (chunk === 'again' && pending !== '') {
        got = pending;
        pending = '';
      }
      if (got === 'lost') continue;
      if (got === 'again') {
        if (!follow) break;
        await out.flush();
        await sleep(FOLLOW_POLL_MS, ctx.signal);
        continue;
      }
      for (const text of splitRecords(got)) {
        let record: KmsgRecord;
        try {
          record = parseKmsgRecord(text);
        } catch {
          continue; // not a kmsg record (corrupt or foreign line): skip, keep the rest
        }
        await emit(record);
      }
    }
    if (json) await json.end();
    await out.flush();
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
