import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstDependency } from '../../vm/apt.js';
import { NODE_VERSION, lookupVmArch } from '../../vm/arch.js';
import { productBundles, etcFiles } from '../../vm/rootfs.js';
import { REPO } from '../helpers/server.js';

describe('VM architectures', () => {
  it.each([
    ['amd64', 'x64'],
    ['arm64', 'arm64'],
  ])("%s: node's sha512 pin is .ci/run's for node-linux-%s", (name, cpu) => {
    const ci = readFileSync(join(REPO, '.ci', 'run'), 'utf8');
    expect(ci).toContain(`NODE_VERSION=${NODE_VERSION}\n`);
    const pinned = new RegExp(`\\[${cpu}\\]=([0-9a-f]{128})`).exec(ci)?.[1];
    const arch = lookupVmArch(name)!;
    expect(arch.nodePackage).toBe(`node-linux-${cpu}`);
    expect(arch.nodeSha512).toBe(pinned);
  });

  it('knows amd64/x86_64 and arm64/aarch64 only', () => {
    expect(lookupVmArch('x86_64')?.name).toBe('amd64');
    expect(lookupVmArch('aarch64')?.qemuPackage).toBe('qemu-system-arm');
    expect(lookupVmArch('riscv64')).toBeUndefined();
    expect(lookupVmArch('nonsense')).toBeUndefined();
  });
});

describe('small pure parts', () => {
  it("firstDependency: the metapackage's kernel", () => {
    const show = 'Package: linux-image-amd64\nVersion: 6.1.192-3\nDepends: linux-image-6.1.0-57-amd64 (= 6.1.192-3)\nDescription: x\n';
    expect(firstDependency(show)).toBe('linux-image-6.1.0-57-amd64');
    expect(firstDependency('Depends: a | b, c\n')).toBe('a');
    expect(firstDependency('Package: x\n')).toBeUndefined();
  });

  it('the root gets the product bundles, never the VM builder', () => {
    expect(productBundles(['vm.js', 'breakglassd.js', 'package.json', 'breakglass-init.js'])).toEqual(['breakglass-init.js', 'breakglassd.js']);
  });

  it("/etc: hostname, hosts, a root user whose shell does not exist, breakglass-init's config", () => {
    const etc = etcFiles('pi', 'ssh-ed25519 AAAA test\n');
    expect(etc.hostname).toBe('pi\n');
    expect(etc.passwd).toBe('root:x:0:0:root:/perm:/nonexistent\n');
    expect(JSON.parse(etc['breakglass-init.json']!)).toMatchObject({ hostname: 'pi', http: { listen: 'private', port: 80 } });
    expect(etc['breakglass.authorized_keys']).toBe('ssh-ed25519 AAAA test\n');
  });
});
