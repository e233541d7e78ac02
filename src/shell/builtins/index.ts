// The built-in registry, built from one array (CONVENTIONS.md §3). Each group file lists
// its built-ins, one file per built-in beside it.
import type { Builtin } from '../types.js';
import { coreBuiltins } from './core.js';
import { helpBuiltin } from './help.js';
import { FILE_BUILTINS } from './files.js';
import { SYSTEM_BUILTINS } from './system.js';
import { NETWORK_BUILTINS } from './network.js';
import { TRANSFER_BUILTINS } from './transfer.js';
import { INIT_BUILTINS } from './init.js';

export const BUILTINS: readonly Builtin[] = [
  ...coreBuiltins(helpBuiltin(() => BUILTINS)),
  ...FILE_BUILTINS,
  ...SYSTEM_BUILTINS,
  ...NETWORK_BUILTINS,
  ...TRANSFER_BUILTINS,
  ...INIT_BUILTINS,
];

/** Name (and alias) → built-in. */
export function builtinTable(list: readonly Builtin[] = BUILTINS): Map<string, Builtin> {
  const table = new Map<string, Builtin>();
  for (const builtin of list) {
    for (const name of [builtin.name, ...(builtin.aliases ?? [])]) {
      if (table.has(name)) throw new Error(`built-in ${name} registered twice`);
      table.set(name, builtin);
    }
  }
  return table;
}
export { jobLine } from './jobs.js';
