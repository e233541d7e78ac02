// System and process inspection built-ins (one file each beside this one).
import type { Builtin } from '../types.js';
import { date } from './date.js';
import { df } from './df.js';
import { dmesg } from './dmesg.js';
import { free } from './free.js';
import { hostname } from './hostname.js';
import { lsof } from './lsof.js';
import { mount } from './mount.js';
import { ps } from './ps.js';
import { sysctl } from './sysctl.js';
import { top } from './top.js';
import { umount } from './umount.js';
import { uname } from './uname.js';
import { uptime } from './uptime.js';

export const SYSTEM_BUILTINS: readonly Builtin[] = [ps, top, lsof, mount, umount, df, free, uptime, dmesg, uname, hostname, date, sysctl];
