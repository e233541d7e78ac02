// The host programs the VM build runs, each with the Debian package to install when it is
// missing (the error says so instead of "spawn mksquashfs ENOENT").
import { runCapture } from '../src/os/index.js';
import type { ChildResult, RunOptions } from '../src/os/index.js';
import { VmError } from './errors.js';

/** Program → Debian package that ships it. */
export const TOOL_PACKAGES: Record<string, string> = {
  'apt-get': 'apt',
  'apt-cache': 'apt',
  tar: 'tar',
  xz: 'xz-utils',
  mksquashfs: 'squashfs-tools',
  'mkfs.ext4': 'e2fsprogs',
  'ssh-keygen': 'openssh-client',
  npm: 'npm (or Node from nodejs.org)',
  'qemu-system-x86_64': 'qemu-system-x86',
  'qemu-system-aarch64': 'qemu-system-arm',
};

export function missingToolMessage(file: string): string {
  const pkg = TOOL_PACKAGES[file];
  return `${file} not found${pkg ? `: install it with apt-get install ${pkg}` : ''}`;
}

/** Runs a tool; exit status other than 0 is an error carrying its stderr. */
export async function runTool(file: string, args: string[], options: RunOptions = {}): Promise<ChildResult> {
  let r: ChildResult;
  try {
    r = await runCapture(file, args, { timeoutMs: 10 * 60_000, ...options });
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') throw new VmError(missingToolMessage(file));
    throw err;
  }
  if (r.code !== 0) {
    const why = r.killed ? 'timed out' : r.stderr.trim().split('\n').slice(-3).join(' / ') || `exit ${r.code ?? r.signal}`;
    throw new VmError(`${file} ${args.slice(0, 3).join(' ')}… failed: ${why}`);
  }
  return r;
}
