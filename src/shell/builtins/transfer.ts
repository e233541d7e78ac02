// File-transfer built-ins.
import type { Builtin } from '../types.js';
import { toolbox } from './toolbox.js';

export const TRANSFER_BUILTINS: readonly Builtin[] = [toolbox];
