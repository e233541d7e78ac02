// Built-ins that talk to breakglass-init over its Unix socket.
import type { Builtin } from '../types.js';
import { logs } from './logs.js';
import { svc } from './svc.js';

export const INIT_BUILTINS: readonly Builtin[] = [svc, logs];
