// The file built-ins (one file each beside this one; shared helpers in fs/).
import type { Builtin } from '../types.js';
import { cat } from './cat.js';
import { chmod } from './chmod.js';
import { cp } from './cp.js';
import { du } from './du.js';
import { find } from './find.js';
import { grep } from './grep.js';
import { head } from './head.js';
import { hexdump } from './hexdump.js';
import { ln } from './ln.js';
import { ls } from './ls.js';
import { md5sum } from './md5sum.js';
import { mkdir } from './mkdir.js';
import { mv } from './mv.js';
import { rm } from './rm.js';
import { rmdir } from './rmdir.js';
import { sha256sum } from './sha256sum.js';
import { stat } from './stat.js';
import { tail } from './tail.js';
import { touch } from './touch.js';
import { wc } from './wc.js';
import { xxd } from './xxd.js';

export const FILE_BUILTINS: readonly Builtin[] = [
  cat, chmod, cp, du, find, grep, head, hexdump, ln, ls, md5sum, mkdir, mv, rm, rmdir, sha256sum, stat, tail, touch, wc, xxd,
];
