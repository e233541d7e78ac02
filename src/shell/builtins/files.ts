import type { Builtin } from '../types.js';

export const FILE_BUILTINS: readonly Builtin[] = [];
