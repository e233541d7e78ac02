// The initramfs archive: cpio "newc" (the kernel's format: Documentation/driver-api/
// early-userspace/buffer-format.rst). Each entry is a 110-byte ASCII header — magic
// "070701" and 13 eight-digit hex fields: ino mode uid gid nlink mtime filesize
// devmajor devminor rdevmajor rdevminor namesize check — then the NUL-terminated name
// and the data, each padded to a multiple of 4 bytes; "TRAILER!!!" ends the archive.
// Pure: entries in, bytes out (gzip is the caller's).

export type CpioEntry =
  | { name: string; type: 'dir'; mode: number }
  | { name: string; type: 'file'; mode: number; data: Buffer }
  | { name: string; type: 'char'; mode: number; major: number; minor: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFCHR = 0o020000;
const TRAILER = 'TRAILER!!!';

function pad4(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

function header(fields: number[]): string {
  return `070701${fields.map((f) => f.toString(16).padStart(8, '0')).join('')}`;
}

function record(ino: number, name: string, mode: number, data: Buffer, rdev: [number, number], nlink: number): Buffer[] {
  const nameBytes = Buffer.from(`${name}\0`);
  const head = Buffer.from(header([ino, mode, 0, 0, nlink, 0, data.length, 0, 0, rdev[0], rdev[1], nameBytes.length, 0]), 'latin1');
  return [head, nameBytes, pad4(head.length + nameBytes.length), data, pad4(data.length)];
}

/** newc archive of `entries` (names without a leading slash; parents before children). */
export function writeCpio(entries: readonly CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  entries.forEach((e, i) => {
    const name = e.name.replace(/^\/+/, '');
    if (e.type === 'dir') parts.push(...record(i + 1, name, S_IFDIR | e.mode, Buffer.alloc(0), [0, 0], 2));
    else if (e.type === 'file') parts.push(...record(i + 1, name, S_IFREG | e.mode, e.data, [0, 0], 1));
    else parts.push(...record(i + 1, name, S_IFCHR | e.mode, Buffer.alloc(0), [e.major, e.minor], 1));
  });
  parts.push(...record(0, TRAILER, 0, Buffer.alloc(0), [0, 0], 1));
  return Buffer.concat(parts);
}
