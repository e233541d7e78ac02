// A fingerprint of a whole directory tree (names, types, modes, sizes, contents, link
// targets): equal before and after means "byte-for-byte unchanged".
import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export async function treeHash(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (rel: string): Promise<void> => {
    for (const name of (await readdir(join(dir, rel))).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      const st = await lstat(join(dir, path));
      hash.update(`${path}\0${st.mode.toString(8)}\0${st.size}\0${Math.floor(st.mtimeMs)}\0`);
      if (st.isSymbolicLink()) hash.update(await readlink(join(dir, path)));
      else if (st.isFile()) hash.update(await readFile(join(dir, path)));
      else if (st.isDirectory()) await walk(path);
      hash.update('\n');
    }
  };
  await walk('');
  return hash.digest('hex');
}
