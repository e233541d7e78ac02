// sha256sum: SHA-256 digests, byte-identical to coreutils (fs/checksum.ts).
import { fileBuiltin } from './fs/define.js';
import { checksumUsage, runChecksum } from './fs/checksum.js';
import type { DigestKind } from './fs/checksum.js';

const KIND: DigestKind = { name: 'sha256sum', algorithm: 'sha256', tag: 'SHA256', hexLength: 64 };

export const sha256sum = fileBuiltin({
  name: 'sha256sum',
  summary: 'print or check SHA-256 checksums',
  usage: checksumUsage(KIND, 256),
  main: (args, ctx) => runChecksum(args, ctx, KIND),
});
