// Network built-ins (issue 3): socket tables, interfaces and routes from /proc and
// /sys, plus small clients for reachability checks. One file per built-in.
import type { Builtin } from '../types.js';
import { netstat } from './netstat.js';
import { ss } from './ss.js';
import { ip } from './ip.js';
import { nc } from './nc.js';
import { fetch, wget } from './wget.js';
import { host, nslookup } from './nslookup.js';

export const NETWORK_BUILTINS: readonly Builtin[] = [netstat, ss, ip, nc, wget, fetch, nslookup, host];
