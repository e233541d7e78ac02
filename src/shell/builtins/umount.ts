// umount: needs the umount2(2) system call, which Node.js cannot make; runs the toolbox's
// umount (or busybox umount) with the same arguments, or says why it cannot.
import type { Builtin, BuiltinContext } from '../types.js';
import { fail } from './io.js';
import { write } from '../../os/index.js';
import { cannotMount, findDelegate, runDelegate } from './mount.js';

const USAGE = `Usage: umount [OPTIONS] DIR|DEVICE…
Unmount file systems. Unmounting needs the umount(2) system call, which the breakglass
shell cannot make: this runs the toolbox's umount (or busybox umount) with the same
arguments (e.g. umount -l /mnt). Upload a toolbox with busybox first (see 'toolbox --help').
`;

async function runUmount(args: string[], ctx: BuiltinContext): Promise<number> {
  if (args.length === 1 && args[0] === '--help') {
    await write(ctx.stdout, USAGE);
    return 0;
  }
  if (args.length === 0) return fail(ctx.stderr, 'umount', "bad usage: no mount point given\nTry 'umount --help' for more information.", 2);
  const target = await findDelegate('umount', ctx);
  if (!target) return fail(ctx.stderr, 'umount', cannotMount('umount'));
  return runDelegate(target, args, ctx);
}

export const umount: Builtin = { name: 'umount', summary: 'unmount (via the toolbox: needs umount(2))', usage: USAGE, run: runUmount };
