// The /perm disk: an ext4 image made once (mkfs.ext4 -d fills it from a directory, no
// mount needed) and kept across boots, as a device's own partition. It starts with the
// web UI password (gokrazy's /perm/gokr-pw.txt); breakglassd writes its host key there
// at first start. The host keeps a copy of the password beside the image for the client.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool } from './tools.js';

export const PERM_SIZE = '64M';

export interface PermDisk {
  image: string;
  passwordFile: string;
  created: boolean;
}

/** Creates `dir`/perm.ext4 and `dir`/gokr-pw.txt unless both exist. */
export async function ensurePerm(dir: string): Promise<PermDisk> {
  const image = join(dir, 'perm.ext4');
  const passwordFile = join(dir, 'gokr-pw.txt');
  const exists = async (p: string): Promise<boolean> => (await stat(p).catch(() => undefined)) !== undefined;
  if ((await exists(image)) && (await exists(passwordFile))) return { image, passwordFile, created: false };
  const password = (await readFile(passwordFile, 'utf8').catch(() => '')).trim() || randomBytes(15).toString('base64url');
  const seed = join(dir, 'perm-seed');
  await rm(seed, { recursive: true, force: true });
  await mkdir(seed, { recursive: true });
  await writeFile(join(seed, 'gokr-pw.txt'), `${password}\n`, { mode: 0o600 });
  await rm(image, { force: true });
  await runTool('mkfs.ext4', ['-q', '-F', '-L', 'perm', '-E', 'root_owner=0:0', '-d', seed, image, PERM_SIZE]);
  await rm(seed, { recursive: true, force: true });
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  return { image, passwordFile, created: true };
}
