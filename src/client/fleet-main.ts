// The program side of a fleet run: the hosts file, the output format, ^C/SIGTERM, the
// summary on stderr and the exit status (0 only when every host succeeded).
import { readFile, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../common/index.js';
import { ensureDir, errnoCode } from '../os/index.js';
import { checkFleet, outFileName, parseHostsFile } from './fleet-hosts.js';
import type { FleetHost } from './fleet-hosts.js';
import { jsonSink, outDirSink, summaryLines, textSink } from './fleet-output.js';
import type { FleetSink, SinkSetup } from './fleet-output.js';
import { runFleet } from './fleet.js';
import type { FleetRun } from './fleet.js';

export type FleetOutput = { kind: 'text' } | { kind: 'json' } | { kind: 'out'; dir: string };

export interface FleetMainOptions extends Omit<FleetRun, 'sink' | 'signal'> {
  output: FleetOutput;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `--hosts FILE`, or `-` for stdin (relative file names then are relative to the current directory). */
export async function readHostsFile(file: string): Promise<FleetHost[]> {
  if (file === '-') return checkFleet(parseHostsFile(await readStdin(), '<stdin>', process.cwd()));
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') throw new UsageError(`--hosts: ${file} does not exist`);
    throw err;
  }
  return checkFleet(parseHostsFile(text, file, dirname(resolve(file))));
}

function colourWanted(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
}

async function makeSink(options: FleetMainOptions): Promise<FleetSink> {
  const setup: SinkSetup = {
    hosts: options.hosts.map((h) => h.name),
    writers: { stdout: (data) => void process.stdout.write(data), stderr: (data) => void process.stderr.write(data) },
    colour: { stdout: colourWanted(process.stdout), stderr: colourWanted(process.stderr) },
  };
  const { output } = options;
  if (output.kind === 'json') return jsonSink(setup);
  if (output.kind === 'text') return textSink(setup);
  const files = new Map(options.hosts.map((h) => [h.name, outFileName(h.name)]));
  if (new Set(files.values()).size !== files.size) throw new UsageError('--out: two host names give the same file name; give one of them --name LABEL in the hosts file');
  await ensureDir(output.dir, 0o777); // the umask decides, as for mkdir -p
  return outDirSink(setup, (host, data) => writeFile(join(output.dir, files.get(host)!), data));
}

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export async function runFleetMain(options: FleetMainOptions): Promise<number> {
  const sink = await makeSink(options);
  const controller = new AbortController();
  let caught: NodeJS.Signals | undefined;
  // ^C reaches the ssh children from the terminal too; we stay to report and clean up.
  const onSignal = (signal: NodeJS.Signals): void => {
    caught ??= signal;
    controller.abort();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  let results;
  try {
    results = await runFleet({ ...options, sink, signal: controller.signal });
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  }
  for (const line of summaryLines(results)) process.stderr.write(`breakglass: ${line}\n`);
  if (caught) return 128 + (constants.signals[caught] ?? 1);
  return results.every((r) => r.status === 'ok') ? 0 : 1;
}
