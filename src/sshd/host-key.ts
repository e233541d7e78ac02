// The server's host key (DESIGN.md `--host-key`): loaded once at startup; when the file
// is missing an ed25519 key is generated with node:crypto and written atomically
// (temporary file, fsync, link into place, fsync of the directory) with mode 0600, so
// a crash never leaves a half-written key and the fingerprint survives restarts. An
// existing file that cannot be read or parsed is an error and is never overwritten.
import { generateKeyPairSync } from 'node:crypto';
import { constants as fsConstants, readFileSync, statSync } from 'node:fs';
import { link, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError, messageOf } from '../common/index.js';
import { errnoCode, ensureDir } from '../os/index.js';
import { encodeOpenSshEd25519 } from './openssh-key.js';
import { parseSshKey } from './ssh-keys.js';
import { fingerprintOf } from './wire.js';

export interface HostKey {
  /** The private key text as ssh2 accepts it. */
  privateKey: string;
  type: string;
  /** `ssh-ed25519 AAAA…`, for pinning in known_hosts. */
  publicLine: string;
  /** `SHA256:…` as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  /** True when this start generated the key. */
  generated: boolean;
  /** Set when the file is readable by group or others. */
  permissionWarning?: string;
}

/** Interprets key text; throws UsageError naming the file and what to do. */
export function hostKeyFromText(path: string, text: string, generated = false): HostKey {
  const parsed = parseSshKey(text);
  const hint = `fix it, or move it away to have a new ed25519 key generated`;
  if (parsed instanceof Error) {
    throw new UsageError(`--host-key ${path}: cannot parse the key (${parsed.message}); ${hint}`);
  }
  if (!parsed.isPrivateKey()) {
    throw new UsageError(`--host-key ${path}: this is a public key, a private key is needed; ${hint}`);
  }
  const blob = parsed.getPublicSSH();
  return {
    privateKey: text,
    type: parsed.type,
    publicLine: `${parsed.type} ${blob.toString('base64')}`,
    fingerprint: fingerprintOf(blob),
    generated,
  };
}

/** A fresh ed25519 host key in OpenSSH private key format. */
export function generateEd25519Text(comment: string): string {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const priv = privateKey.export({ format: 'jwk' });
  const pub = publicKey.export({ format: 'jwk' });
  if (typeof priv.d !== 'string' || typeof pub.x !== 'string') throw new Error('node:crypto returned no ed25519 JWK');
  return encodeOpenSshEd25519(Buffer.from(priv.d, 'base64url'), Buffer.from(pub.x, 'base64url'), comment);
}

/**
 * Writes `text` to `path` only if `path` does not exist yet: temp file (0600) + fsync,
 * then link() into place (fails with EEXIST instead of replacing a file), fsync of the
 * directory. Falls back to rename() where hard links are unsupported.
 */
export async function writeNewFileAtomically(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  await ensureDir(dir);
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
  const handle = await open(tmp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(tmp, path);
    await unlink(tmp);
  } catch (err) {
    const code = errnoCode(err);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    // No hard links on this file system: check, then rename (a tiny race window).
    if (await stat(path).then(() => true, () => false)) {
      await unlink(tmp).catch(() => undefined);
      throw Object.assign(new Error(`${path} appeared while generating`), { code: 'EEXIST' });
    }
    await rename(tmp, path);
  }
  const dirHandle = await open(dir, fsConstants.O_RDONLY);
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}

/** Synchronous, like every read before breakglassd listens (see key-store.ts). */
function readExisting(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') throw new UsageError(`--host-key ${path}: is a directory, expected a private key file`);
    throw new UsageError(`--host-key ${path}: cannot read (${messageOf(err)}); check the path and its permissions`);
  }
}

/** Loads the host key, generating and storing an ed25519 key when the file is missing. */
export async function loadOrCreateHostKey(path: string, comment = 'breakglassd host key'): Promise<HostKey> {
  const existing = readExisting(path);
  if (existing !== undefined) {
    const key = hostKeyFromText(path, existing);
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) key.permissionWarning = `host key ${path} is accessible by others (mode ${mode.toString(8)}); chmod 600 it`;
    return key;
  }
  const text = generateEd25519Text(comment);
  try {
    await writeNewFileAtomically(path, text);
  } catch (err) {
    // Another process created it between our read and our link: use theirs.
    if (errnoCode(err) === 'EEXIST') return loadOrCreateHostKey(path, comment);
    throw new UsageError(`--host-key ${path}: cannot write a new key (${messageOf(err)}); pass a writable --host-key path`);
  }
  return hostKeyFromText(path, text, true);
}
