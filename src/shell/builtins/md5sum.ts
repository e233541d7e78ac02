// md5sum: MD5 digests, byte-identical to coreutils (fs/checksum.ts).
import { fileBuiltin } from './fs/define.js';
import { checksumUsage, runChecksum } from './fs/checksum.js';
import type { DigestKind } from './fs/checksum.js';

const KIND: DigestKind = { name: 'md5sum', algorithm: 'md5', tag: 'MD5', hexLength: 32 };

export const md5sum = fileBuiltin({
  name: 'md5sum',
  summary: 'print or check MD5 checksums',
  usage: checksumUsage(KIND, 128),
  main: (args, ctx) => runChecksum(args, ctx, KIND),
});
