// The squashfs root the guest boots, as a user's appliance has it: node and the C
// runtime it links against, the breakglass programs (dist/*.js), /etc basics and empty
// mount points. No /bin, no shell, no busybox (those come only with the toolbox upload).
import { chmod, copyFile, cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Parts } from './parts.js';
import { runTool } from './tools.js';

export const MOUNT_POINTS = ['perm', 'tmp', 'proc', 'sys', 'dev', 'run', 'user'];

/** breakglass-init's config in the guest: as test/appliance and a gokrazy device have it. */
export function initConfig(hostname: string): unknown {
  return {
    hostname,
    http: { listen: 'private', port: 80 },
    services: [{ path: '/user/breakglass', command: ['/usr/bin/node', '/dist/breakglassd.js', '--listen', 'private'], dontStart: true }],
  };
}

/** Text of the small /etc files (pure). */
export function etcFiles(hostname: string, authorizedKeys: string): Record<string, string> {
  return {
    hostname: `${hostname}\n`,
    hosts: `127.0.0.1\tlocalhost\n::1\tlocalhost\n127.0.1.1\t${hostname}\n`,
    passwd: 'root:x:0:0:root:/perm:/nonexistent\n',
    group: 'root:x:0:\n',
    'breakglass-init.json': `${JSON.stringify(initConfig(hostname), null, 2)}\n`,
    'breakglass.authorized_keys': authorizedKeys,
  };
}

/** The programs to install: the product's bundles, not the VM builder itself. */
export function productBundles(names: string[]): string[] {
  return names.filter((n) => n.endsWith('.js') && n !== 'vm.js').sort();
}

export interface RootfsOptions {
  parts: Parts;
  distDir: string;
  hostname: string;
  authorizedKeys: string;
  /** Work dir for the tree (removed after). */
  staging: string;
  out: string;
}

export async function buildSquashfs(options: RootfsOptions): Promise<void> {
  const root = options.staging;
  await rm(root, { recursive: true, force: true });
  for (const dir of [...MOUNT_POINTS, 'etc', 'dist', 'usr/bin']) await mkdir(join(root, dir), { recursive: true });
  await chmod(join(root, 'tmp'), 0o1777);
  // lib/, lib64/ (the loader's symlink), usr/lib/ as Debian lays them out.
  await cp(options.parts.libs, root, { recursive: true, verbatimSymlinks: true });
  await copyFile(options.parts.node, join(root, 'usr/bin/node'));
  await chmod(join(root, 'usr/bin/node'), 0o755);
  for (const name of productBundles(await readdir(options.distDir))) await copyFile(join(options.distDir, name), join(root, 'dist', name));
  for (const [name, text] of Object.entries(etcFiles(options.hostname, options.authorizedKeys))) await writeFile(join(root, 'etc', name), text);
  await rm(options.out, { force: true });
  // gzip: the squashfs module's built-in decompressor, and the quickest to read under TCG.
  await runTool('mksquashfs', [root, options.out, '-noappend', '-all-root', '-comp', 'gzip', '-no-xattrs', '-quiet', '-no-progress']);
  await rm(root, { recursive: true, force: true });
}
