// The three servers under test, each started by the bench itself on 127.0.0.1 with its
// own host key, trusting the same ed25519 client key; none of the system's services is
// touched. OpenSSH: our own sshd_config. Dropbear 2022 has no option for the
// authorized_keys path (it reads ~/.ssh/authorized_keys of the login user), so both
// peers run in a private mount namespace where a temporary directory is bind-mounted
// over root's home: the real /root/.ssh is never read or written.
import { existsSync, mkdirSync, writeFileSync, chmodSync, readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join, resolve } from 'node:path';
import { spawnGroup, stopChild, run, failure, sleep } from './proc.mjs';

export const REPO = resolve(import.meta.dirname, '../..');
export const SSHD = '/usr/sbin/sshd';
export const DROPBEAR = '/usr/sbin/dropbear';
export const DROPBEARKEY = '/usr/bin/dropbearkey';

/** Same key exchange and host key type for every server, so the client does equal work. */
export const KEX = 'curve25519-sha256';
export const HOST_KEY_ALG = 'ssh-ed25519';

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Polls a TCP connect until the SSH banner arrives (for servers without a readiness line). */
export async function waitForBanner(port, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolveOk) => {
      const socket = connect(port, '127.0.0.1');
      const done = (value) => {
        socket.destroy();
        resolveOk(value);
      };
      socket.once('data', (chunk) => done(chunk.toString().startsWith('SSH-')));
      socket.once('error', () => done(false));
      socket.setTimeout(1000, () => done(false));
    });
    if (ok) return;
    await sleep(2);
  }
  throw new Error(`no SSH banner on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

/** Collects a child's stderr (bounded tail) and resolves when a pattern appears. */
function watchStderr(child) {
  let text = '';
  const waiters = [];
  child.stderr.on('data', (chunk) => {
    text += chunk.toString();
    if (text.length > 256 * 1024) text = text.slice(-128 * 1024);
    for (const waiter of [...waiters]) {
      const match = text.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  child.once('exit', (code, signal) => {
    for (const waiter of waiters.splice(0)) {
      waiter.reject(new Error(`exited (${signal ?? `code ${code}`}) before ready: ${text.trim().split('\n').slice(-3).join(' | ').slice(0, 300)}`));
    }
  });
  return {
    tail: () => text,
    waitFor(pattern, timeoutMs = 10_000) {
      const match = text.match(pattern);
      if (match) return Promise.resolve(match);
      return new Promise((resolveMatch, reject) => {
        const waiter = {
          pattern,
          resolve: (match) => {
            clearTimeout(timer);
            resolveMatch(match);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        waiters.push(waiter);
        const timer = setTimeout(() => {
          const index = waiters.indexOf(waiter);
          if (index === -1) return;
          waiters.splice(index, 1);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; stderr: ${text.slice(-300)}`));
        }, timeoutMs);
      });
    },
  };
}

/** The client key and known paths shared by all servers of one run. */
export async function makeClientKey(dir) {
  const privatePath = join(dir, 'id_ed25519');
  const result = await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bench', '-f', privatePath]);
  if (result.code !== 0) throw new Error(failure(result, 'ssh-keygen'));
  return { privatePath, publicLine: readFileSync(`${privatePath}.pub`, 'utf8').trim() };
}

/** ssh/scp/sftp options: identical for every server except the port. */
export function clientOptions(key, port, { cipher, logLevel = 'ERROR' } = {}) {
  return [
    '-F', 'none',
    '-i', key.privatePath,
    '-o', 'IdentitiesOnly=yes',
    '-o', 'IdentityAgent=none',
    '-o', 'StrictHostKeyChecking=no',
    '-o', 'UserKnownHostsFile=/dev/null',
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'UpdateHostKeys=no',
    '-o', 'BatchMode=yes',
    '-o', `LogLevel=${logLevel}`,
    '-o', 'ConnectTimeout=10',
    '-o', 'ControlMaster=no',
    '-o', 'ControlPath=none',
    '-o', 'Compression=no',
    '-o', `KexAlgorithms=${KEX}`,
    '-o', `HostKeyAlgorithms=${HOST_KEY_ALG}`,
    ...(cipher ? ['-o', `Ciphers=${cipher}`] : []),
    '-o', `Port=${port}`,
    '-o', 'User=root',
  ];
}

export const DEST = '127.0.0.1';

/** Which breakglassd runs, and with which node flags (--breakglassd, --node-arg: for A/B experiments). */
export const breakglassd = { bundle: join(REPO, 'dist', 'breakglassd.js'), nodeArgs: [] };

/**
 * argv that runs `command` in a private mount namespace with `home` bind-mounted over
 * /root. Both peers get a clean, empty root home this way: Dropbear needs it for its
 * authorized_keys, and neither should pay for this machine's ~/.bashrc (a login shell
 * runs for every exec) when breakglassd has none. unshare and sh exec, so the spawned
 * PID ends up being the server's own.
 */
export function inCleanHome(home, command) {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  chmodSync(home, 0o700);
  const script = 'mount --bind "$1" /root && shift && exec "$@"';
  return ['unshare', ['--mount', '--propagation', 'private', '--', '/bin/sh', '-c', script, 'clean-home', home, ...command]];
}

function makeServer(name, label, child, port, logs, extra = {}) {
  return {
    name,
    label,
    child,
    pid: child.pid,
    port,
    log: logs.tail,
    stop: () => stopChild(child),
    ...extra,
  };
}

export async function startOpenssh(ws, key) {
  const base = join(ws.dir, 'openssh');
  mkdirSync(base, { recursive: true });
  const hostKey = join(base, 'ssh_host_ed25519_key');
  if (!existsSync(hostKey)) {
    const made = await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
    if (made.code !== 0) throw new Error(failure(made, 'ssh-keygen host key'));
  }
  const authorized = join(base, 'authorized_keys');
  writeFileSync(authorized, `${key.publicLine}\n`, { mode: 0o600 });
  const port = await freePort();
  const config = join(base, 'sshd_config');
  writeFileSync(config, [
    `ListenAddress 127.0.0.1`,
    `HostKey ${hostKey}`,
    'PidFile none',
    'UsePAM no',
    `AuthorizedKeysFile ${authorized}`,
    // The temp dir lives under a sticky world-writable /tmp, which StrictModes refuses.
    'StrictModes no',
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PrintMotd no',
    'PrintLastLog no',
    'UseDNS no',
    'X11Forwarding no',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n'));
  // sshd refuses to start without its privilege-separation directory (Debian's unit creates it).
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const [file, args] = inCleanHome(join(base, 'home'), [SSHD, '-D', '-e', '-f', config, '-p', String(port)]);
  const child = spawnGroup(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const logs = watchStderr(child);
  await logs.waitFor(/Server listening on 127\.0\.0\.1 port \d+/);
  return makeServer('openssh', 'OpenSSH sshd', child, port, logs);
}

export async function startDropbear(ws, key) {
  const base = join(ws.dir, 'dropbear');
  const home = join(base, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  chmodSync(home, 0o700);
  writeFileSync(join(home, '.ssh', 'authorized_keys'), `${key.publicLine}\n`, { mode: 0o600 });
  const hostKey = join(base, 'dropbear_ed25519_host_key');
  if (!existsSync(hostKey)) {
    const made = await run(DROPBEARKEY, ['-t', 'ed25519', '-f', hostKey]);
    if (made.code !== 0) throw new Error(failure(made, 'dropbearkey'));
  }
  const port = await freePort();
  const [file, args] = inCleanHome(home, [
    DROPBEAR, '-F', '-E', '-s', '-m', '-p', `127.0.0.1:${port}`, '-r', hostKey, '-P', join(base, 'dropbear.pid'),
  ]);
  const child = spawnGroup(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const logs = watchStderr(child);
  const exited = new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`dropbear exited (code ${code}): ${logs.tail().slice(-300)}`))));
  exited.catch(() => undefined);
  await Promise.race([waitForBanner(port), exited]);
  return makeServer('dropbear', 'Dropbear', child, port, logs);
}

export function breakglassdArgs(ws, key, port = 0, bundle = breakglassd.bundle) {
  const base = join(ws.dir, 'breakglassd');
  mkdirSync(base, { recursive: true });
  const authorized = join(base, 'authorized_keys');
  writeFileSync(authorized, `${key.publicLine}\n`, { mode: 0o600 });
  return {
    base,
    args: [
      bundle,
      '--port', String(port),
      '--listen', '127.0.0.1',
      '--authorized-keys', authorized,
      '--host-key', join(base, 'host_key'),
      '--toolbox-dir', join(ws.shm, 'toolbox'),
      '--home', join(base, 'home'),
    ],
  };
}

export const READY = /breakglassd: listening on 127\.0\.0\.1:(\d+) \(host key (SHA256:[A-Za-z0-9+/]+)\)/;

export async function startBreakglassd(ws, key, { nodeArgs = [], bundle, env, args: extra = [] } = {}) {
  const { args } = breakglassdArgs(ws, key, 0, bundle);
  const child = spawnGroup(process.execPath, [...breakglassd.nodeArgs, ...nodeArgs, ...args, ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  const logs = watchStderr(child);
  try {
    const match = await logs.waitFor(READY, 15_000);
    return makeServer('breakglassd', 'breakglassd', child, Number(match[1]), logs);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

export const STARTERS = { breakglassd: startBreakglassd, openssh: startOpenssh, dropbear: startDropbear };
export const LABELS = { breakglassd: 'breakglassd', openssh: 'OpenSSH sshd', dropbear: 'Dropbear' };
