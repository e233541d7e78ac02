import type { Builtin } from '../types.js';

export const CORE_BUILTINS: readonly Builtin[] = [];
