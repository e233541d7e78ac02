import type { Builtin } from '../types.js';

export const INIT_BUILTINS: readonly Builtin[] = [];
