// A reproducible ustar writer (POSIX.1-1988 ustar, as in pax(1) "ustar Interchange
// Format"): entries sorted by name, mtime 0, owner root:root (0/0), so the same
// input always gives the same bytes and the same sha256.

export type TarEntry =
  | { name: string; type: 'file'; mode: number; data: Buffer }
  | { name: string; type: 'symlink'; target: string };

const BLOCK = 512;
/** GNU tar and busybox tar write 20-block records; pad the archive to one. */
const RECORD = 20 * BLOCK;

function field(header: Buffer, offset: number, length: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > length) throw new RangeError(`tar field too long: ${text}`);
  bytes.copy(header, offset);
}

/** Octal, zero-padded, NUL-terminated, as ustar numeric fields are. */
function octal(header: Buffer, offset: number, length: number, value: number): void {
  field(header, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

function headerFor(entry: TarEntry): Buffer {
  const h = Buffer.alloc(BLOCK);
  field(h, 0, 100, entry.name);
  octal(h, 100, 8, entry.type === 'file' ? entry.mode & 0o7777 : 0o777);
  octal(h, 108, 8, 0); // uid
  octal(h, 116, 8, 0); // gid
  octal(h, 124, 12, entry.type === 'file' ? entry.data.length : 0);
  octal(h, 136, 12, 0); // mtime
  h.fill(0x20, 148, 156); // checksum counts as spaces while summing
  h[156] = (entry.type === 'file' ? '0' : '2').charCodeAt(0);
  if (entry.type === 'symlink') field(h, 157, 100, entry.target);
  field(h, 257, 6, 'ustar\0');
  field(h, 263, 2, '00');
  field(h, 265, 32, 'root');
  field(h, 297, 32, 'root');
  let sum = 0;
  for (const byte of h) sum += byte;
  field(h, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

export function writeTar(entries: readonly TarEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const parts: Buffer[] = [];
  for (const entry of sorted) {
    parts.push(headerFor(entry));
    if (entry.type === 'file') {
      parts.push(entry.data);
      const pad = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  const body = Buffer.concat(parts);
  const padded = Math.ceil(body.length / RECORD) * RECORD;
  return padded === body.length ? body : Buffer.concat([body, Buffer.alloc(padded - body.length)]);
}
