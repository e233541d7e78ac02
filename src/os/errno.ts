// Error text as the C library's strerror(3) spells it, so `cat: /nope: No such file or
// directory` reads exactly like coreutils/busybox (libuv's own messages are lower-case
// and worded differently).
import { getSystemErrorMap } from 'node:util';

const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EEXIST: 'File exists',
  ENOTEMPTY: 'Directory not empty',
  EROFS: 'Read-only file system',
  ENOSPC: 'No space left on device',
  ELOOP: 'Too many levels of symbolic links',
  EXDEV: 'Invalid cross-device link',
  EBUSY: 'Device or resource busy',
  EINVAL: 'Invalid argument',
  EMFILE: 'Too many open files',
  ENFILE: 'Too many open files in system',
  ENAMETOOLONG: 'File name too long',
  EIO: 'Input/output error',
  ETXTBSY: 'Text file busy',
  EDQUOT: 'Disk quota exceeded',
  EFBIG: 'File too large',
  ENXIO: 'No such device or address',
  ENODEV: 'No such device',
  EAGAIN: 'Resource temporarily unavailable',
  EBADF: 'Bad file descriptor',
  EMLINK: 'Too many links',
  ENOTSUP: 'Operation not supported',
  EOPNOTSUPP: 'Operation not supported',
};

/** The strerror text for a Node.js system error (falls back to its message). */
export function errnoMessage(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string') {
    const known = STRERROR[code];
    if (known) return known;
    const errno = (err as { errno?: unknown }).errno;
    const libuv = typeof errno === 'number' ? getSystemErrorMap().get(errno)?.[1] : undefined;
    if (libuv) return libuv.charAt(0).toUpperCase() + libuv.slice(1);
  }
  return err instanceof Error ? err.message : String(err);
}

/** The errno name (`ENOENT`) of a system error, or undefined. */
export function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}
