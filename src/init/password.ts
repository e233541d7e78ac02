// The web UI password, as gokrazy keeps it: `gokr-pw.txt` in /perm, else /etc. When no
// file exists one is generated (20 random alphanumerics, mode 0400, written atomically
// so a crash never leaves a half-written password).
import { randomInt } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BreakglassError } from '../common/index.js';
import { ensureDir, errnoCode } from '../os/index.js';

export const DEFAULT_PASSWORD_FILES = ['/perm/gokr-pw.txt', '/etc/gokr-pw.txt'];
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function generatePassword(length = 20): string {
  let out = '';
  // randomInt is unbiased (rejection sampling), unlike bytes modulo 62.
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

async function readPassword(file: string): Promise<string | undefined> {
  try {
    const text = (await readFile(file, 'utf8')).trim();
    if (text === '') throw new BreakglassError(`password file ${file} is empty; delete it to have one generated`, { file });
    return text;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes a new password with mode 0400 via a temporary file and rename. */
export async function writePasswordFile(file: string, password: string): Promise<void> {
  await ensureDir(dirname(file), 0o777); // the umask decides, as for mkdir -p
  const tmp = join(dirname(file), `.${process.pid}.gokr-pw.tmp`);
  try {
    await writeFile(tmp, `${password}\n`, { mode: 0o400, flag: 'wx' });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new BreakglassError(`cannot write password file ${file}: ${(err as Error).message}`, { file }, { cause: err });
  }
}

export interface PasswordResult {
  password: string;
  file: string;
  generated: boolean;
}

/**
 * The explicit file when given (generated there when missing); otherwise the first of
 * /perm/gokr-pw.txt, /etc/gokr-pw.txt that exists, generating /perm/gokr-pw.txt.
 */
export async function loadOrCreatePassword(explicit?: string, candidates: string[] = DEFAULT_PASSWORD_FILES): Promise<PasswordResult> {
  const files = explicit ? [explicit] : candidates;
  for (const file of files) {
    const password = await readPassword(file);
    if (password !== undefined) return { password, file, generated: false };
  }
  const file = files[0]!;
  const password = generatePassword();
  await writePasswordFile(file, password);
  return { password, file, generated: true };
}
