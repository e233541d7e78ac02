// hostname: print the host name (/proc/sys/kernel/hostname, the UTS name); `hostname
// NAME` writes that file, which is what sethostname(2) changes.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostname as osHostname } from 'node:os';
import { errnoCode, write } from '../../os/index.js';
import { readSysValue } from '../../proc/index.js';
import type { Builtin, BuiltinContext } from '../types.js';
import { fail } from './io.js';
import { parseOrExit } from './system-util.js';

const USAGE = `Usage: hostname [-s] [-f] [NAME]
Print the host name, or set it to NAME (until reboot: it writes
/proc/sys/kernel/hostname; the appliance's init sets it again at boot).
  -s, --short   only the part before the first dot
  -f, --fqdn    the name as configured (no DNS lookup is made)
`;

const VALID = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/;

async function runHostname(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = await parseOrExit('hostname', USAGE, args, { flags: 'sf', long: { short: false, fqdn: false } }, ctx);
  if (typeof opts === 'number') return opts;
  const [name, extra] = opts.operands;
  if (extra !== undefined) return fail(ctx.stderr, 'hostname', `extra operand '${extra}'`, 2);
  if (name !== undefined) {
    if (name.length > 64 || !VALID.test(name)) {
      return fail(ctx.stderr, 'hostname', `${JSON.stringify(name)} is not a valid host name (letters, digits, '-', dots; at most 64 characters)`, 2);
    }
    const path = join(ctx.services.procRoot, 'sys/kernel/hostname');
    try {
      await writeFile(path, name);
      return 0;
    } catch (err) {
      return fail(ctx.stderr, 'hostname', `cannot set the host name: writing ${path} failed (${errnoCode(err) ?? (err as Error).message}); setting it needs the sethostname(2) privilege (root, CAP_SYS_ADMIN)`);
    }
  }
  const current = (await readSysValue(ctx.services.procRoot, 'kernel/hostname')) ?? osHostname();
  const shown = opts.has('s') || opts.has('short') ? current.split('.')[0]! : current;
  await write(ctx.stdout, `${shown}\n`);
  return 0;
}

export const hostname: Builtin = { name: 'hostname', summary: 'print or set the host name', usage: USAGE, run: runHostname };
