// Sets the kernel's hostname from the config (`hostname`), as gokrazy's init does — only
// when we are PID 1, i.e. the device's init. `npm start` runs breakglass-init as an
// ordinary process on a developer's machine, whose name must never change.
// Linux exposes the UTS hostname as /proc/sys/kernel/hostname (proc(5)); writing it needs
// CAP_SYS_ADMIN in the UTS namespace, so a failure is reported and boot goes on.
import { writeFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { messageOf } from '../common/index.js';

export const KERNEL_HOSTNAME_PATH = '/proc/sys/kernel/hostname';

export interface HostnameDeps {
  log(line: string): void;
  /** Our pid (default process.pid): nothing is written unless it is 1. */
  pid?: number;
  /** The current hostname (default os.hostname()). */
  current?: () => string;
  /** Writes the new name (default: to /proc/sys/kernel/hostname). */
  write?: (path: string, text: string) => Promise<void>;
}

export type HostnameOutcome = 'not-pid1' | 'unchanged' | 'set' | 'failed';

/** Applies `wanted` when PID 1 and it differs from the current name; never throws. */
export async function applyHostname(wanted: string | undefined, deps: HostnameDeps): Promise<HostnameOutcome> {
  if ((deps.pid ?? process.pid) !== 1) return 'not-pid1';
  const current = (deps.current ?? osHostname)();
  if (!wanted || wanted === current) return 'unchanged';
  const write = deps.write ?? ((path: string, text: string) => writeFile(path, text));
  try {
    await write(KERNEL_HOSTNAME_PATH, wanted);
  } catch (err) {
    deps.log(`warning: cannot set the hostname to ${wanted} (${KERNEL_HOSTNAME_PATH}): ${messageOf(err)}`);
    return 'failed';
  }
  deps.log(`hostname set to ${wanted} (was ${current})`);
  return 'set';
}
