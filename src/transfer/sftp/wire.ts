// SFTP v3 wire details that ssh2 does not cover for a server (no I/O here):
// draft-ietf-secsh-filexfer-02 §3 (packet types), §6.3 (open flags), §7 (status
// codes), and OpenSSH's extensions from its PROTOCOL file §4 (VERSION extension
// pairs, EXTENDED_REPLY layouts for statvfs and limits).

/** §3 packet types we build ourselves. */
export const FXP_VERSION = 2;
export const FXP_EXTENDED_REPLY = 201;
const FXP_DATA = 103;

/** SSH_FXP_DATA's header: uint32 length, byte type, uint32 id, uint32 data length. */
export const DATA_HEADER = 13;

/**
 * Completes a DATA reply whose file bytes were read straight into `packet` at
 * DATA_HEADER (no copy of them); returns the packet, cut to `length` bytes of data.
 */
export function finishDataPacket(packet: Buffer, reqid: number, length: number): Buffer {
  packet.writeUInt32BE(DATA_HEADER - 4 + length, 0);
  packet[4] = FXP_DATA;
  packet.writeUInt32BE(reqid, 5);
  packet.writeUInt32BE(length, 9);
  return packet.subarray(0, DATA_HEADER + length);
}

/** §7 status codes. */
export const STATUS = {
  OK: 0,
  EOF: 1,
  NO_SUCH_FILE: 2,
  PERMISSION_DENIED: 3,
  FAILURE: 4,
  BAD_MESSAGE: 5,
  NO_CONNECTION: 6,
  CONNECTION_LOST: 7,
  OP_UNSUPPORTED: 8,
} as const;
export type StatusCode = (typeof STATUS)[keyof typeof STATUS];

/** §6.3 pflags. */
export const OPEN = { READ: 0x1, WRITE: 0x2, APPEND: 0x4, CREAT: 0x8, TRUNC: 0x10, EXCL: 0x20 } as const;

/**
 * Limits we announce through limits@openssh.com (PROTOCOL §4.8). ssh2 refuses inbound
 * packets over 256 KiB, so a write carries at most that minus the header; reads are
 * answered up to the same size, as OpenSSH's sftp-server does.
 */
export const MAX_PACKET = 256 * 1024;
export const MAX_READ = MAX_PACKET - 1024;
export const MAX_WRITE = MAX_PACKET - 1024;
export const MAX_HANDLES = 256;

/** Extensions we announce in VERSION, name → version string (PROTOCOL §4). */
export const EXTENSIONS: ReadonlyArray<[string, string]> = [
  ['posix-rename@openssh.com', '1'],
  ['statvfs@openssh.com', '2'],
  ['fstatvfs@openssh.com', '2'],
  ['hardlink@openssh.com', '1'],
  ['fsync@openssh.com', '1'],
  ['limits@openssh.com', '1'],
  ['expand-path@openssh.com', '1'],
];

function sshString(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

/** uint32 length, byte type, then the body. */
function packet(type: number, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(body.length + 1, 0);
  head[4] = type;
  return Buffer.concat([head, body]);
}

/** SSH_FXP_VERSION: uint32 version, then (string name, string data) per extension. */
export function encodeVersion(version: number, extensions: ReadonlyArray<[string, string]>): Buffer {
  const v = Buffer.alloc(4);
  v.writeUInt32BE(version);
  return packet(FXP_VERSION, Buffer.concat([v, ...extensions.flatMap(([name, data]) => [sshString(name), sshString(data)])]));
}

/** SSH_FXP_EXTENDED_REPLY: uint32 id, then uint64 fields (statvfs, limits). */
export function encodeUint64Reply(reqid: number, values: readonly number[]): Buffer {
  const body = Buffer.alloc(4 + 8 * values.length);
  body.writeUInt32BE(reqid, 0);
  values.forEach((value, i) => body.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(value))), 4 + 8 * i));
  return packet(FXP_EXTENDED_REPLY, body);
}

/** Parses the INIT packet body (after the length): byte type, uint32 version. */
export function parseInit(payload: Buffer): { version: number } | undefined {
  if (payload.length < 5 || payload[0] !== 1) return undefined;
  return { version: payload.readUInt32BE(1) };
}

/** Reads SSH strings from an EXTENDED request's data. */
export class ExtReader {
  private pos = 0;
  constructor(private readonly data: Buffer = Buffer.alloc(0)) {}
  string(): string {
    return this.bytes().toString('utf8');
  }
  bytes(): Buffer {
    if (this.pos + 4 > this.data.length) throw new RangeError('truncated extended request');
    const len = this.data.readUInt32BE(this.pos);
    const end = this.pos + 4 + len;
    if (end > this.data.length) throw new RangeError('truncated extended request');
    const out = this.data.subarray(this.pos + 4, end);
    this.pos = end;
    return out;
  }
}

/** statvfs@openssh.com reply fields (PROTOCOL §4.4), in order. */
export interface StatVfs {
  bsize: number;
  frsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  favail: number;
  fsid: number;
  flag: number;
  namemax: number;
}

export function statVfsValues(s: StatVfs): number[] {
  return [s.bsize, s.frsize, s.blocks, s.bfree, s.bavail, s.files, s.ffree, s.favail, s.fsid, s.flag, s.namemax];
}

/** errno → SFTP status, as OpenSSH's sftp-server errno_to_portable() maps them. */
export function statusForErrno(code: string | undefined): StatusCode {
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
    case 'EBADF':
    case 'ELOOP':
      return STATUS.NO_SUCH_FILE;
    case 'EPERM':
    case 'EACCES':
    case 'EFAULT':
      return STATUS.PERMISSION_DENIED;
    case 'ENAMETOOLONG':
    case 'EINVAL':
      return STATUS.BAD_MESSAGE;
    case 'ENOSYS':
      return STATUS.OP_UNSUPPORTED;
    default:
      return STATUS.FAILURE;
  }
}

/** Portable open flags → open(2) flags. */
export function openFlags(pflags: number, c: { O_RDONLY: number; O_WRONLY: number; O_RDWR: number; O_CREAT: number; O_TRUNC: number; O_EXCL: number; O_APPEND: number }): number {
  const read = (pflags & OPEN.READ) !== 0;
  const write = (pflags & OPEN.WRITE) !== 0;
  let flags = read && write ? c.O_RDWR : write ? c.O_WRONLY : c.O_RDONLY;
  if (pflags & OPEN.CREAT) flags |= c.O_CREAT;
  if (pflags & OPEN.TRUNC) flags |= c.O_TRUNC;
  if (pflags & OPEN.EXCL) flags |= c.O_EXCL;
  if (pflags & OPEN.APPEND) flags |= c.O_APPEND;
  return flags;
}
