// A busybox-static-like .deb around this host's static busybox (data.tar.xz, as
// Debian ships it), so busybox-fetch --deb can be tested offline.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { makeDeb } from '../../busybox-fetch/deb-fixture.js';
import { makeTar } from '../fixtures/tar/build.js';

export async function makeBusyboxDeb(path: string): Promise<void> {
  const data = await makeTar([
    { name: './bin/', type: 'directory', mode: 0o755 },
    { name: './bin/busybox', body: await readFile('/bin/busybox'), mode: 0o755 },
  ]);
  const deb = makeDeb([
    ['debian-binary', Buffer.from('2.0\n')],
    ['control.tar.xz', execFileSync('xz', ['-c', '-0'], { input: await makeTar([{ name: './control', body: 'Package: busybox-static\n' }]) })],
    ['data.tar.xz', execFileSync('xz', ['-c', '-0'], { input: data })],
  ]);
  await writeFile(path, deb);
}
