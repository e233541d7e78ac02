// uname: kernel identity from /proc/sys/kernel/* (falling back to node:os), coreutils
// order: -s -n -r -v -m [-p -i when known] -o.
import { machine, release, type as osType, version as osVersion, hostname as osHostname } from 'node:os';
import { readSysValue } from '../../proc/index.js';
import type { Builtin, BuiltinContext } from '../types.js';
import { fail } from './io.js';
import { write } from '../../os/index.js';
import { parseOrExit } from './system-util.js';

const USAGE = `Usage: uname [-asnrvmpio]
Print system information (default -s).
  -a, --all                all of the below, in this order, except unknown -p and -i
  -s, --kernel-name        Linux
  -n, --nodename           network node host name
  -r, --kernel-release     e.g. 6.1.0-rpi7
  -v, --kernel-version     e.g. #1 SMP PREEMPT …
  -m, --machine            e.g. aarch64
  -p, --processor          (unknown on Linux)
  -i, --hardware-platform  (unknown on Linux)
  -o, --operating-system   GNU/Linux
`;

const LONG: Record<string, string> = {
  all: 'a', 'kernel-name': 's', nodename: 'n', 'kernel-release': 'r', 'kernel-version': 'v',
  machine: 'm', processor: 'p', 'hardware-platform': 'i', 'operating-system': 'o',
};

async function runUname(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = await parseOrExit('uname', USAGE, args, { flags: 'asnrvmpio', long: Object.fromEntries(Object.keys(LONG).map((k) => [k, false])) }, ctx);
  if (typeof opts === 'number') return opts;
  if (opts.operands.length > 0) return fail(ctx.stderr, 'uname', `extra operand '${opts.operands[0]}'`, 2);
  const has = (letter: string): boolean => opts.has(letter) || Object.entries(LONG).some(([long, l]) => l === letter && opts.has(long));
  const all = has('a');
  const root = ctx.services.procRoot;
  const [sysname, nodename, rel, ver] = await Promise.all([
    readSysValue(root, 'kernel/ostype'),
    readSysValue(root, 'kernel/hostname'),
    readSysValue(root, 'kernel/osrelease'),
    readSysValue(root, 'kernel/version'),
  ]);
  const fields: Array<[string, string]> = [
    ['s', sysname ?? osType()],
    ['n', nodename ?? osHostname()],
    ['r', rel ?? release()],
    ['v', ver ?? osVersion()],
    ['m', machine()],
    ['p', 'unknown'],
    ['i', 'unknown'],
    ['o', 'GNU/Linux'],
  ];
  const none = !'asnrvmpio'.split('').some(has);
  const chosen = fields.filter(([letter, value]) => (none && letter === 's') || has(letter) || (all && value !== 'unknown'));
  await write(ctx.stdout, `${chosen.map(([, v]) => v).join(' ')}\n`);
  return 0;
}

export const uname: Builtin = { name: 'uname', summary: 'kernel name, release, version, machine (-a)', usage: USAGE, run: runUname };
