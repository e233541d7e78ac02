// sha256sum: SHA-256 digests, byte-identical to coreutils (fs/checksum.ts).
import { checksumBuiltin } from './fs/index.js';

export const sha256sum = checksumBuiltin({ name: 'sha256sum', algorithm: 'sha256', tag: 'SHA256', hexLength: 64 }, 'SHA-256');
