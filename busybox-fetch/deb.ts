// Reading a Debian package without dpkg: a .deb is an ar(5) archive ("!<arch>\n",
// then 60-byte member headers: name[16] mtime[12] uid[6] gid[6] mode[8] size[10]
// "`\n", data padded to an even length) holding debian-binary, control.tar.* and
// data.tar.{gz,xz,zst} (deb(5)). Node unpacks gzip itself; xz and zstd go through
// the `xz` / `zstd` programs, or `dpkg-deb --fsys-tarfile` when that is there.
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { runCapture } from '../src/os/index.js';

export class DebError extends Error {
  override name = 'DebError';
}

export interface ArMember {
  name: string;
  data: Buffer;
}

const AR_MAGIC = '!<arch>\n';
const MAX_OUTPUT = 512 * 1024 * 1024;

export function parseAr(file: Buffer): ArMember[] {
  if (file.subarray(0, 8).toString('latin1') !== AR_MAGIC) throw new DebError('not a Debian package (no ar "!<arch>" magic)');
  const members: ArMember[] = [];
  let pos = 8;
  while (pos + 60 <= file.length) {
    const header = file.subarray(pos, pos + 60).toString('latin1');
    if (header.slice(58, 60) !== '`\n') throw new DebError(`bad ar member header at byte ${pos}`);
    // GNU ar ends names with '/'; BSD-style long names (#1/N) are not used by dpkg.
    const name = header.slice(0, 16).trim().replace(/\/$/, '');
    const size = Number.parseInt(header.slice(48, 58).trim(), 10);
    if (!Number.isSafeInteger(size) || size < 0 || pos + 60 + size > file.length) throw new DebError(`ar member ${name} is truncated`);
    members.push({ name, data: file.subarray(pos + 60, pos + 60 + size) });
    pos += 60 + size + (size % 2);
  }
  return members;
}

/** The data.tar of a .deb, uncompressed. `debPath` lets dpkg-deb help with xz/zstd. */
export async function debDataTar(deb: Buffer, debPath?: string): Promise<Buffer> {
  const member = parseAr(deb).find((m) => m.name.startsWith('data.tar'));
  if (!member) throw new DebError('the package has no data.tar member');
  const kind = member.name.slice('data.tar'.length);
  if (kind === '') return member.data;
  if (kind === '.gz') return gunzipSync(member.data);
  const tool = kind === '.xz' ? 'xz' : kind === '.zst' ? 'zstd' : undefined;
  if (!tool) throw new DebError(`unsupported compression ${member.name}`);
  const viaTool = await decompressWith(tool, member.data);
  if (viaTool) return viaTool;
  if (debPath) {
    const viaDpkg = await runQuietly('dpkg-deb', ['--fsys-tarfile', debPath]);
    if (viaDpkg) return viaDpkg;
  }
  throw new DebError(
    `${member.name} needs the ${tool} program (apt-get install ${tool === 'xz' ? 'xz-utils' : 'zstd'}) or dpkg-deb; or pass --binary with a static busybox`,
  );
}

async function decompressWith(tool: string, data: Buffer): Promise<Buffer | undefined> {
  try {
    const r = await runCapture(tool, ['-dc'], { input: data, timeoutMs: 60_000, maxStdoutBytes: MAX_OUTPUT });
    if (r.code !== 0) throw new DebError(`${tool} -dc failed: ${r.stderr.trim() || `exit ${r.code ?? r.signal}`}`);
    return r.stdout;
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function runQuietly(file: string, args: string[]): Promise<Buffer | undefined> {
  try {
    const r = await runCapture(file, args, { timeoutMs: 60_000, maxStdoutBytes: MAX_OUTPUT });
    return r.code === 0 ? r.stdout : undefined;
  } catch {
    return undefined;
  }
}

/** The contents of the first regular file whose path is one of `wanted` (./bin/busybox …). */
export async function fileFromTar(tarball: Buffer, wanted: readonly string[]): Promise<Buffer | undefined> {
  const extract = tar.extract();
  let found: Buffer | undefined;
  const done = new Promise<void>((resolve, reject) => {
    extract.on('entry', (header, stream, next) => {
      const name = header.name.replace(/^\.?\//, '');
      const chunks: Buffer[] = [];
      const take = !found && header.type === 'file' && wanted.includes(name);
      stream.on('data', (c: unknown) => {
        if (take) chunks.push(c as Buffer);
      });
      stream.on('end', () => {
        if (take) found = Buffer.concat(chunks);
        next();
      });
      stream.on('error', reject);
    });
    extract.on('finish', () => resolve());
    extract.on('error', reject);
  });
  Readable.from([tarball]).pipe(extract as unknown as NodeJS.WritableStream);
  await done;
  return found;
}
