import type { Builtin } from '../types.js';

export const NETWORK_BUILTINS: readonly Builtin[] = [];
