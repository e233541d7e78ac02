import type { Builtin } from '../types.js';

export const TRANSFER_BUILTINS: readonly Builtin[] = [];
