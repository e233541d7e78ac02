// Faults of space: the toolbox quota exceeded, and the tmpfs under the toolbox full. An
// upload (`ssh HOST toolbox add < tools.tar`, as the client does) that does not fit must
// fail with a clear error, leave the toolbox as it was and nothing half-written, and the
// next upload that fits must still work.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startDaemon } from './lib/daemon.mjs';

const sshOptions = (work, port) => [
  '-F', 'none', '-o', 'StrictHostKeyChecking=no', '-o', `UserKnownHostsFile=${join(work.dir, 'known_hosts')}`, '-o', 'BatchMode=yes',
  '-o', 'LogLevel=ERROR', '-i', work.key, '-o', 'IdentitiesOnly=yes', '-o', 'IdentityAgent=none', '-p', String(port),
];

/** `ssh HOST toolbox add` with the tarball on stdin: { code, stderr }. */
function toolboxAdd(work, daemon, tar) {
  return new Promise((resolve) => {
    const child = spawn('ssh', [...sshOptions(work, daemon.port), 'root@127.0.0.1', 'toolbox add'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-2000)));
    child.stdin.on('error', () => undefined);
    child.stdin.end(tar);
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, stderr: stderr.trim() });
    });
  });
}

function tarOf(work, name, files) {
  const src = join(work.dir, `${name}-src`);
  mkdirSync(src, { recursive: true });
  for (const [file, size] of Object.entries(files)) writeFileSync(join(src, file), randomBytes(size), { mode: 0o755 });
  const tar = execFileSync('tar', ['-cf', '-', '-C', src, ...Object.keys(files)], { maxBuffer: 64 << 20 });
  rmSync(src, { recursive: true, force: true });
  return tar;
}

/** Every entry under dir (the toolbox and its staging sibling), for "nothing changed". */
const listing = (dir) => {
  try {
    return readdirSync(dir, { recursive: true }).sort().join(',');
  } catch {
    return '(none)';
  }
};

/** One space fault: the first upload must be refused cleanly, the second must fit. */
async function tooBig(work, out, { label, name, args, mount }) {
  const base = join(work.dir, name);
  mkdirSync(base, { recursive: true });
  if (mount) {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mount}`, 'tmpfs', base]);
    } catch (err) {
      out.figure(label, `not run: cannot mount a tmpfs (${err.message.split('\n')[0]}); needs root`);
      return;
    }
  }
  let daemon;
  try {
    daemon = await startDaemon(work, args, { name });
    const seeded = await toolboxAdd(work, daemon, tarOf(work, 'seed', { 'seed-tool': 4096 }));
    const before = listing(base);
    const refused = await toolboxAdd(work, daemon, tarOf(work, 'big', { 'big-tool': 3 << 20, 'other-tool': 1 << 20 }));
    const after = listing(base);
    const fits = await toolboxAdd(work, daemon, tarOf(work, 'small', { 'small-tool': 64 << 10 }));
    const installed = listing(daemon.toolboxDir).includes('small-tool');
    out.check(`${label}: a clear error, the toolbox unchanged, nothing half-written; the next upload that fits installs`,
      seeded.code === 0 && refused.code !== 0 && refused.stderr.length > 0 && before === after && fits.code === 0 && installed && daemon.alive(),
      `refused with exit ${refused.code}: ${JSON.stringify(refused.stderr.split('\n').pop())}; toolbox ${before === after ? 'unchanged' : `CHANGED (${before} -> ${after})`}; next upload exit ${fits.code}${installed ? ', installed' : ', NOT installed'}`);
  } finally {
    await daemon?.stop();
    if (mount) {
      try {
        execFileSync('umount', [base]);
      } catch {
        // left for the work dir's removal to report
      }
    }
  }
}

export async function spaceFaults(work, out) {
  await tooBig(work, out, { label: 'toolbox quota exceeded (--toolbox-quota 2M, a 4 MiB upload)', name: 'quota', args: ['--toolbox-quota', '2M'] });
  await tooBig(work, out, { label: 'tmpfs under the toolbox full (a 3 MiB tmpfs, a 4 MiB upload, quota 500M)', name: 'full', args: [], mount: '3m' });
}
