// `npm start`: a local demo device and a breakglass session to it, the whole real path.
// Creates ./.device/ (config, keys, password, home) and a toolbox on tmpfs (/dev/shm,
// as a device keeps it in RAM; cleared when the device stops), starts breakglass-init
// with /user/breakglass stopped (as on a device), then runs the breakglass client,
// which starts the SSH server through the web UI, pins its host key and opens the
// shell. When the session ends the device is stopped (SIGTERM to breakglass-init).
// The build has already run (package.json: "npm run build && node scripts/start-device.mjs").
// BREAKGLASS_DEVICE_DIR overrides ./.device (the tests use a temporary one).
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(REPO, 'dist');
const DEVICE = resolve(process.env.BREAKGLASS_DEVICE_DIR || join(REPO, '.device'));
const GOARCH = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', riscv64: 'riscv64' }[process.arch] ?? process.arch;

/**
 * The toolbox lives in RAM as on a device: /dev/shm (tmpfs) when it is writable, named
 * after the device dir so two demo devices never share one; else inside the device dir.
 */
function toolboxDir() {
  try {
    accessSync('/dev/shm', constants.W_OK);
    const tag = createHash('sha256').update(DEVICE).digest('hex').slice(0, 8);
    return { dir: join('/dev/shm', `breakglass-demo-${process.getuid?.() ?? 0}-${tag}`), volatile: true };
  } catch {
    return { dir: join(DEVICE, 'toolbox'), volatile: false };
  }
}
const TOOLBOX = toolboxDir();

function say(line) {
  process.stderr.write(`start-device: ${line}\n`);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** A device left running by a killed earlier run would hold the socket: stop it first. */
async function stopLeftover(pidFile) {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // gone already
  }
  if (pid > 1 && cmdline.includes('breakglass-init')) {
    say(`stopping the device left over from an earlier run (pid ${pid})`);
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      process.kill(pid, 'SIGTERM');
    }
    for (let i = 0; i < 100 && existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 50));
  }
  await rm(pidFile, { force: true });
}

async function prepare() {
  await mkdir(DEVICE, { recursive: true, mode: 0o700 });
  const key = join(DEVICE, 'id_ed25519');
  if (!existsSync(key)) {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `breakglass-demo@${hostname()}`, '-f', key], { stdio: 'inherit' });
  }
  await writeFile(join(DEVICE, 'authorized_keys'), readFileSync(`${key}.pub`, 'utf8'));
  // Only this key, whatever the agent holds (many agent keys exhaust MaxAuthTries).
  await writeFile(join(DEVICE, 'ssh_config'), 'IdentitiesOnly yes\nLogLevel ERROR\n');
  // A Unix socket path must fit in sockaddr_un (108 bytes).
  const socketInDevice = join(DEVICE, 'init.sock');
  const socket = socketInDevice.length < 100 ? socketInDevice : join(tmpdir(), `breakglass-demo-${process.getuid?.() ?? 0}.sock`);
  const sshPort = await freePort();
  const config = {
    hostname: hostname(),
    http: { listen: '127.0.0.1', port: 0, passwordFile: join(DEVICE, 'gokr-pw.txt'), socket },
    services: [
      {
        path: '/user/breakglass',
        dontStart: true,
        command: [
          process.execPath, join(DIST, 'breakglassd.js'),
          '--listen', '127.0.0.1', '--port', String(sshPort),
          '--authorized-keys', join(DEVICE, 'authorized_keys'),
          '--host-key', join(DEVICE, 'host_key'),
          '--toolbox-dir', TOOLBOX.dir,
          '--home', join(DEVICE, 'home'),
        ],
      },
    ],
  };
  await mkdir(join(DEVICE, 'home'), { recursive: true });
  await writeFile(join(DEVICE, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  return { key, sshPort };
}

function startInit() {
  // Own process group: ^C in this terminal must not reach the device.
  const init = spawn(process.execPath, [join(DIST, 'breakglass-init.js'), '--config', join(DEVICE, 'config.json')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  const logFile = createWriteStream(join(DEVICE, 'init.log'), { flags: 'a' });
  let text = '';
  const exited = new Promise((resolveExit) => init.once('exit', (code, signal) => resolveExit({ code, signal })));
  const ready = new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`breakglass-init did not come up within 10 s; see ${join(DEVICE, 'init.log')}`)), 10_000);
    init.stderr.on('data', (chunk) => {
      logFile.write(chunk);
      text += chunk.toString();
      const match = /breakglass-init: web UI on 127\.0\.0\.1:(\d+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolveReady(Number(match[1]));
      }
    });
    init.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`breakglass-init exited (${code}) before its web UI came up:\n${text}`));
    });
  });
  return { init, ready, exited, logFile };
}

async function stopDevice({ init, exited, logFile }) {
  if (init.exitCode === null && init.signalCode === null) {
    process.kill(-init.pid, 'SIGTERM');
    const timer = setTimeout(() => process.kill(-init.pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  logFile.end();
  await rm(join(DEVICE, 'init.pid'), { force: true });
  // What a reboot does to a device's tmpfs.
  if (TOOLBOX.volatile) await rm(TOOLBOX.dir, { recursive: true, force: true });
}

async function main() {
  for (const name of ['breakglass-init', 'breakglassd', 'breakglass']) {
    if (!existsSync(join(DIST, `${name}.js`))) throw new Error(`dist/${name}.js is missing: run npm run build (npm start does)`);
  }
  await stopLeftover(join(DEVICE, 'init.pid'));
  const { key, sshPort } = await prepare();
  const device = startInit();
  await writeFile(join(DEVICE, 'init.pid'), String(device.init.pid));
  let code = 1;
  try {
    const httpPort = await device.ready;
    const password = (await readFile(join(DEVICE, 'gokr-pw.txt'), 'utf8')).trim();
    const tarball = join(DEVICE, 'debug-${GOARCH}.tar');
    const upload = existsSync(tarball.replace('${GOARCH}', GOARCH)) ? ['--debug-tarball-pattern', tarball] : [];
    process.stderr.write(
      [
        '',
        `  breakglass demo device "${hostname()}" (files in ${DEVICE})`,
        `  web UI:   http://127.0.0.1:${httpPort}/   user gokrazy, password ${password}`,
        `  ssh port: ${sshPort} (started on demand through the web UI)`,
        upload.length ? `  upload:   ${tarball.replace('${GOARCH}', GOARCH)}` : `  upload:   put busybox-fetch's debug-${GOARCH}.tar in ${DEVICE} to have it uploaded`,
        `  toolbox:  ${TOOLBOX.dir}${TOOLBOX.volatile ? ' (tmpfs, cleared when the device stops)' : ''}`,
        // A one-shot command (npm start -- 'ps -ef') ends by itself.
        ...(process.argv.length > 2 ? [] : ['  Type exit (or press Ctrl-D) to end the session; the device stops with it.']),
        '',
        '',
      ].join('\n'),
    );
    const client = spawn(
      process.execPath,
      [join(DIST, 'breakglass.js'), '--http-port', String(httpPort), '--ssh-port', String(sshPort), '--password-file', join(DEVICE, 'gokr-pw.txt'),
        '--identity', key, '--ssh-config', join(DEVICE, 'ssh_config'), ...upload, '127.0.0.1', ...process.argv.slice(2)],
      { stdio: 'inherit' },
    );
    // The terminal's ^C belongs to the session (ssh), not to this script.
    const ignore = () => undefined;
    process.on('SIGINT', ignore);
    process.once('SIGTERM', () => client.kill('SIGTERM'));
    process.once('SIGHUP', () => client.kill('SIGHUP'));
    code = await new Promise((resolveCode) => client.once('exit', (c, signal) => resolveCode(c ?? (signal ? 129 : 1))));
    process.off('SIGINT', ignore);
  } finally {
    await stopDevice(device);
    say('device stopped');
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    say(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
