// The debug tarball upload (DESIGN.md "breakglass"): `${GOARCH}` in the pattern comes
// from the device's X-Gokrazy-GOARCH header. breakglassd takes the tar on stdin of
// `toolbox add`; gokrazy's Go breakglass gets `scp FILE HOST:` as its own client does.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { BreakglassError } from '../common/index.js';
import { errnoCode } from '../os/index.js';
import { ProgressMeter } from './progress.js';
import { runProgram } from './processes.js';
import { scpArgs, sshArgs } from './ssh-args.js';
import type { SshSettings } from './ssh-args.js';

export function tarballPath(pattern: string, goarch: string | undefined): string {
  if (!pattern.includes('${GOARCH}')) return pattern;
  if (!goarch) throw new BreakglassError('the device did not say its architecture (X-Gokrazy-GOARCH), so ${GOARCH} in --debug-tarball-pattern cannot be filled in', {});
  return pattern.replaceAll('${GOARCH}', goarch);
}

export interface UploadOptions {
  file: string;
  settings: SshSettings;
  destination: string;
  /** Upload with scp (gokrazy's Go server) instead of `toolbox add`. */
  useScp: boolean;
  /** Progress output (stderr when it is a terminal), or undefined for none. */
  draw?: (text: string) => void;
  log: (line: string) => void;
  /** Where toolbox add's manifest and ssh's/scp's messages go; default our stderr (fleet: the host's log). */
  output?: (chunk: Buffer) => void;
}

export async function uploadTarball(options: UploadOptions): Promise<void> {
  const { file } = options;
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new BreakglassError(`${file} is not a file`, { file });
    size = info.size;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') {
      throw new BreakglassError(`debug tarball ${file} does not exist (build it with: busybox-fetch --arch ARCH --out ${file})`, { file }, { cause: err });
    }
    throw err;
  }
  if (options.useScp) {
    options.log(`uploading ${file} with scp (the server is gokrazy's Go breakglass)`);
    const result = await runProgram('scp', scpArgs(options.settings, file, options.destination), {
      stdio: ['ignore', options.output ? 'pipe' : 'inherit', 'pipe'],
      ...(options.output ? { onStdout: options.output } : {}),
    });
    if (result.code !== 0) throw new BreakglassError(`scp ${file} failed (exit ${result.code}): ${result.stderr.trim()}`, { file });
    return;
  }
  const meter = new ProgressMeter(`uploading ${basename(file)}`, size, options.draw);
  const input = createReadStream(file).pipe(meter);
  // toolbox add prints its manifest on stdout: show it on stderr so stdout stays the command's.
  const output = options.output ?? ((chunk: Buffer): void => void process.stderr.write(chunk));
  const result = await runProgram('ssh', sshArgs(options.settings, options.destination, ['toolbox', 'add']), {
    stdio: ['pipe', 'pipe', options.output ? 'pipe' : 'inherit'],
    input,
    onStdout: output,
    ...(options.output ? { onStderr: options.output } : {}),
  });
  if (result.code !== 0) throw new BreakglassError(`uploading ${file} with "toolbox add" failed (ssh exit ${result.code})`, { file });
}
