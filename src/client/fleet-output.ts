// Where a fleet run's output goes: `host: ` prefixed lines (coloured on a terminal),
// `--json` (one object per host, written as each finishes) or `--out DIR` (the host's
// stdout in DIR/HOST, its stderr prefixed on ours); and the summary at the end.
// Writers are injected so the formats are tested without a terminal.

export type HostStatus = 'ok' | 'failed' | 'unreachable' | 'skipped';

export interface HostResult {
  host: string;
  status: HostStatus;
  /** The remote command's exit status; null when it did not run. */
  exitCode: number | null;
  durationMs: number;
  /** Why it is not ok, in a line; null when ok. */
  error: string | null;
}

export interface FleetSink {
  stdout(host: string, chunk: Buffer): void;
  stderr(host: string, chunk: Buffer): void;
  /** breakglass's own messages about the host (starting, pinned key, upload). */
  log(host: string, line: string): void;
  /** The host is finished: flush its last lines, write its object or file. */
  done(result: HostResult): Promise<void>;
}

export interface Writers {
  stdout: (data: string | Buffer) => void;
  stderr: (data: string | Buffer) => void;
}

const COLOURS = [36, 33, 35, 32, 34, 96, 93, 95, 92, 94];

/** `host: ` in one of a few colours (by the host's position), or plain. */
export function prefixFor(host: string, index: number, colour: boolean): string {
  return colour ? `\x1b[${COLOURS[index % COLOURS.length]}m${host}\x1b[0m: ` : `${host}: `;
}

/** Splits a byte stream into lines (on \n, so UTF-8 stays whole) and writes each with a prefix. */
export class PrefixedLines {
  private rest: Buffer = Buffer.alloc(0);
  constructor(
    private readonly prefix: string,
    private readonly write: (data: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    let data = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    let newline = data.indexOf(0x0a);
    const out: Buffer[] = [];
    while (newline !== -1) {
      out.push(Buffer.from(this.prefix), data.subarray(0, newline + 1));
      data = data.subarray(newline + 1);
      newline = data.indexOf(0x0a);
    }
    this.rest = Buffer.from(data);
    if (out.length) this.write(Buffer.concat(out));
  }

  /** The last line, if it had no newline. */
  end(): void {
    if (this.rest.length) this.write(Buffer.concat([Buffer.from(this.prefix), this.rest, Buffer.from('\n')]));
    this.rest = Buffer.alloc(0);
  }
}

/** Per host and stream line splitters over the two writers. */
class PrefixedStreams {
  private readonly lines = new Map<string, PrefixedLines>();
  constructor(
    private readonly writers: Writers,
    private readonly order: Map<string, number>,
    private readonly colour: { stdout: boolean; stderr: boolean },
  ) {}

  get(host: string, stream: 'stdout' | 'stderr'): PrefixedLines {
    const key = `${stream} ${host}`;
    let lines = this.lines.get(key);
    if (!lines) {
      const write = stream === 'stdout' ? this.writers.stdout : this.writers.stderr;
      lines = new PrefixedLines(prefixFor(host, this.order.get(host) ?? 0, this.colour[stream]), write);
      this.lines.set(key, lines);
    }
    return lines;
  }

  log(host: string, line: string): void {
    this.get(host, 'stderr').push(Buffer.from(`breakglass: ${line}\n`));
  }

  endHost(host: string): void {
    this.lines.get(`stdout ${host}`)?.end();
    this.lines.get(`stderr ${host}`)?.end();
  }
}

export interface SinkSetup {
  hosts: string[];
  writers: Writers;
  colour: { stdout: boolean; stderr: boolean };
}

function orderOf(hosts: string[]): Map<string, number> {
  return new Map(hosts.map((host, index) => [host, index]));
}

/** Lines as they come, `host: ` in front; stdout to stdout, stderr to stderr. */
export function textSink(setup: SinkSetup): FleetSink {
  const streams = new PrefixedStreams(setup.writers, orderOf(setup.hosts), setup.colour);
  return {
    stdout: (host, chunk) => streams.get(host, 'stdout').push(chunk),
    stderr: (host, chunk) => streams.get(host, 'stderr').push(chunk),
    log: (host, line) => streams.log(host, line),
    done: async (result) => streams.endHost(result.host),
  };
}

/** `--json`: one object per host on stdout when it finishes; our own messages stay on stderr. */
export function jsonSink(setup: SinkSetup): FleetSink {
  const streams = new PrefixedStreams(setup.writers, orderOf(setup.hosts), { stdout: false, stderr: setup.colour.stderr });
  const captured = new Map<string, { stdout: Buffer[]; stderr: Buffer[] }>();
  const of = (host: string): { stdout: Buffer[]; stderr: Buffer[] } => {
    let entry = captured.get(host);
    if (!entry) captured.set(host, (entry = { stdout: [], stderr: [] }));
    return entry;
  };
  return {
    stdout: (host, chunk) => void of(host).stdout.push(chunk),
    stderr: (host, chunk) => void of(host).stderr.push(chunk),
    log: (host, line) => streams.log(host, line),
    done: async (result) => {
      const { stdout, stderr } = of(result.host);
      captured.delete(result.host);
      streams.endHost(result.host);
      const object = {
        host: result.host,
        status: result.status,
        exitCode: result.exitCode,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        durationMs: result.durationMs,
        error: result.error,
      };
      setup.writers.stdout(`${JSON.stringify(object)}\n`);
    },
  };
}

/** `--out DIR`: each host's stdout into its own file (written when it finishes), stderr as in text mode. */
export function outDirSink(setup: SinkSetup, writeHostFile: (host: string, data: Buffer) => Promise<void>): FleetSink {
  const streams = new PrefixedStreams(setup.writers, orderOf(setup.hosts), { stdout: false, stderr: setup.colour.stderr });
  const captured = new Map<string, Buffer[]>();
  return {
    stdout: (host, chunk) => {
      const chunks = captured.get(host) ?? [];
      chunks.push(chunk);
      captured.set(host, chunks);
    },
    stderr: (host, chunk) => streams.get(host, 'stderr').push(chunk),
    log: (host, line) => streams.log(host, line),
    done: async (result) => {
      streams.endHost(result.host);
      const data = Buffer.concat(captured.get(result.host) ?? []);
      captured.delete(result.host);
      await writeHostFile(result.host, data);
    },
  };
}

/** `N hosts: a ok, b failed, c unreachable`, then one line per host that is not ok. */
export function summaryLines(results: HostResult[]): string[] {
  const count = (status: HostStatus): number => results.filter((r) => r.status === status).length;
  const skipped = count('skipped');
  const head = `${results.length} host${results.length === 1 ? '' : 's'}: ${count('ok')} ok, ${count('failed')} failed, ${count('unreachable')} unreachable${skipped ? `, ${skipped} not run` : ''}`;
  const reasons = results.filter((r) => r.status !== 'ok').map((r) => `  ${r.host} ${r.status === 'skipped' ? 'not run' : r.status}: ${r.error}`);
  return [head, ...reasons];
}
