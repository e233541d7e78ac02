import type { Builtin } from '../types.js';

export const SYSTEM_BUILTINS: readonly Builtin[] = [];
