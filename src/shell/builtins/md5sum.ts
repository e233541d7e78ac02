// md5sum: MD5 digests, byte-identical to coreutils (fs/checksum.ts).
import { checksumBuiltin } from './fs/index.js';

export const md5sum = checksumBuiltin({ name: 'md5sum', algorithm: 'md5', tag: 'MD5', hexLength: 32 }, 'MD5');
