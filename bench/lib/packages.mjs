// The peers come from Debian: install openssh-server / dropbear-bin when missing, without
// letting their maintainer scripts start the system services (policy-rc.d exit 101, the
// documented way to tell invoke-rc.d "no"), and wait for another apt run's lock.
import { existsSync, writeFileSync, rmSync } from 'node:fs';
import { run, failure } from './proc.mjs';

const POLICY = '/usr/sbin/policy-rc.d';

export async function ensurePackages(servers, progress) {
  const need = [];
  if (servers.includes('openssh') && !existsSync('/usr/sbin/sshd')) need.push('openssh-server');
  if (servers.includes('dropbear') && !existsSync('/usr/sbin/dropbear')) need.push('dropbear-bin');
  if (!existsSync('/usr/bin/ssh') || !existsSync('/usr/bin/sftp')) need.push('openssh-client');
  if (!existsSync('/usr/bin/ps') && !existsSync('/bin/ps')) need.push('procps');
  if (!existsSync('/usr/bin/ss') && !existsSync('/bin/ss')) need.push('iproute2');
  if (need.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`missing ${need.join(', ')}: install them (apt-get install -y ${need.join(' ')})`);
  progress(`installing ${need.join(' ')}`);
  const ourPolicy = !existsSync(POLICY);
  if (ourPolicy) writeFileSync(POLICY, '#!/bin/sh\n# Written by bench/run.mjs for the duration of its apt-get run.\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = () => run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '-q', '--no-install-recommends', ...need], { env, timeoutMs: 600_000 });
    let result = await install();
    if (result.code !== 0) {
      await run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'update', '-q'], { env, timeoutMs: 600_000 });
      result = await install();
    }
    if (result.code !== 0) throw new Error(failure(result, `apt-get install ${need.join(' ')}`));
  } finally {
    if (ourPolicy) rmSync(POLICY, { force: true });
  }
}
