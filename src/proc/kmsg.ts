// /dev/kmsg records (Documentation/ABI/testing/dev-kmsg):
//   "PRIORITY,SEQUENCE,TIMESTAMP_US,FLAGS[,…];MESSAGE\n" then optional " KEY=VALUE\n"
// continuation lines. PRIORITY is (facility << 3) | level. Non-printable bytes in MESSAGE
// arrive escaped as \xNN.

export interface KmsgRecord {
  facility: number;
  level: number;
  sequence: number;
  /** Microseconds since boot (CLOCK_MONOTONIC). */
  timestampUs: number;
  /** `-` for a record that is not a continuation; `c`/`+` on older kernels. */
  flags: string;
  message: string;
  /** Continuation lines ` SUBSYSTEM=…`, ` DEVICE=…`. */
  dict: Record<string, string>;
}

export function parseKmsgRecord(text: string): KmsgRecord {
  const semi = text.indexOf(';');
  if (semi === -1) throw new Error(`kmsg: record without ';': ${JSON.stringify(text.slice(0, 40))}`);
  const [prio, seq, ts, flags = '-'] = text.slice(0, semi).split(',');
  const priority = Number(prio);
  if (!Number.isInteger(priority) || Number.isNaN(Number(seq)) || Number.isNaN(Number(ts))) {
    throw new Error(`kmsg: bad record header: ${JSON.stringify(text.slice(0, semi))}`);
  }
  const [message = '', ...rest] = text.slice(semi + 1).replace(/\n$/, '').split('\n');
  const dict: Record<string, string> = {};
  for (const line of rest) {
    const eq = line.indexOf('=');
    if (line.startsWith(' ') && eq > 0) dict[line.slice(1, eq)] = line.slice(eq + 1);
  }
  return { facility: priority >> 3, level: priority & 7, sequence: Number(seq), timestampUs: Number(ts), flags, message, dict };
}

/** `[    1.234567] message` as util-linux/busybox dmesg prints it. */
export function formatKmsgRecord(record: KmsgRecord, raw = false): string {
  const seconds = Math.floor(record.timestampUs / 1e6);
  const micros = String(record.timestampUs % 1e6).padStart(6, '0');
  const prefix = raw ? `<${(record.facility << 3) | record.level}>` : '';
  return `${prefix}[${String(seconds).padStart(5)}.${micros}] ${record.message}`;
}

export const KMSG_LEVELS = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'] as const;
