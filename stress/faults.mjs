// Faults: real OpenSSH clients killed (SIGKILL of the whole process group, so the TCP
// connection just drops) in the middle of an SFTP upload into the toolbox, a download
// and a pty program; breakglassd sent SIGTERM with sessions open; authorized_keys
// deleted and corrupted under running sessions; the toolbox quota exceeded and its tmpfs
// full (faults-space.mjs); a web UI restart storm (faults-webui.mjs). Each fault is one
// pass/fail check.
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { spaceFaults } from './faults-space.mjs';
import { restartStorm } from './faults-webui.mjs';
import { auditEvents, connect, exec, makeWorkdir, result, sleep, startDaemon, waitUntil } from './lib/daemon.mjs';

const sha = (buf) => createHash('sha256').update(buf).digest('hex');

/** OpenSSH client options: no user config, no prompts, only the stress key. */
const sshOptions = (work) => [
  '-F', 'none', '-o', 'StrictHostKeyChecking=no', '-o', `UserKnownHostsFile=${join(work.dir, 'known_hosts')}`,
  '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=10',
  '-i', work.key, '-o', 'IdentitiesOnly=yes', '-o', 'IdentityAgent=none',
];

/** A client in its own process group (sftp runs ssh as its child): killGroup() drops both. */
function spawnClient(file, args, { input, keepStdin = false } = {}) {
  const child = spawn(file, args, { detached: true, stdio: [input === undefined && !keepStdin ? 'ignore' : 'pipe', 'ignore', 'pipe'] });
  child.stdin?.on('error', () => undefined);
  let stderr = '';
  child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-4000)));
  if (input !== undefined) child.stdin.end(input);
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  // Never outlive the run, whatever happens to the check.
  const guard = setTimeout(() => killGroup(child), 60_000);
  exited.then(() => clearTimeout(guard));
  return { child, exited, stderr: () => stderr, kill: () => killGroup(child) };
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** sftp -b with a batch of commands, bandwidth-limited to `kbit` (so a kill lands mid-transfer). */
function sftpBatch(daemon, work, commands, kbit) {
  const batch = join(work.dir, `batch-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(batch, `${commands.join('\n')}\n`);
  return spawnClient('sftp', [...sshOptions(work), ...(kbit ? ['-l', String(kbit)] : []), '-b', batch, '-P', String(daemon.port), 'root@127.0.0.1']);
}

/** Every path under dir with its type and content hash: equal strings mean equal trees. */
function treeSnapshot(dir) {
  const out = [];
  const walk = (d, rel) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) {
        out.push(`${rel}${name}/`);
        walk(p, `${rel}${name}/`);
      } else out.push(`${rel}${name} ${st.isFile() ? sha(readFileSync(p)) : 'link'}`);
    }
  };
  walk(dir, '');
  return out.join('\n');
}

const ls = (dir) => (existsSync(dir) ? readdirSync(dir) : []);
const size = (p) => {
  try {
    return statSync(p).size;
  } catch {
    return 0;
  }
};

/** PIDs of processes whose argv is exactly `argv`. */
function processesWith(argv) {
  const want = `${argv.join('\0')}\0`;
  const out = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8') === want) out.push(Number(pid));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Gone means no /proc entry at all: a zombie (exited, never reaped) still counts. */
const allGone = (pids) => pids.every((pid) => !existsSync(`/proc/${pid}`));

/** A tar of `files` ({ name: Buffer }) made with the system tar. */
function makeTar(work, name, files) {
  const src = join(work.dir, `${name}-src`);
  mkdirSync(src, { recursive: true });
  for (const [file, body] of Object.entries(files)) writeFileSync(join(src, file), body, { mode: 0o755 });
  const tar = join(work.dir, name);
  execFileSync('tar', ['-cf', tar, '-C', src, ...Object.keys(files)]);
  rmSync(src, { recursive: true, force: true });
  return tar;
}

/** A fresh ssh2 login + `echo ok` (both within 10 s): true, or the reason it failed. */
async function loginWorks(daemon, work) {
  let client;
  try {
    client = await connect(daemon, work, { timeoutMs: 10_000 });
    const r = await exec(client, 'echo ok', { timeoutMs: 10_000 });
    return r.stdout === 'ok\n' && r.code === 0 ? true : `echo ok gave ${JSON.stringify(r)}`;
  } catch (err) {
    return err.message;
  } finally {
    client?.end();
  }
}

const events = (daemon, name) => auditEvents(daemon).filter((e) => e.event === name);

async function uploadKilled(daemon, work, out, bytes) {
  const stagingDir = join(dirname(daemon.toolboxDir), `.${basename(daemon.toolboxDir)}.staging`);
  const before = treeSnapshot(daemon.toolboxDir);
  const cutBefore = events(daemon, 'upload-cut').length;
  const tar = makeTar(work, 'tools.tar', { 'big-tool': randomBytes(bytes), 'small-tool': Buffer.from('#!/bin/sh\necho small\n') });
  // 8 Mbit/s: the upload takes seconds, the kill lands once 256 KiB are staged.
  const sftp = sftpBatch(daemon, work, [`put ${tar} tools.tar`], 8000);
  const staged = () => ls(stagingDir).filter((n) => n.startsWith('upload-')).map((n) => size(join(stagingDir, n)));
  const started = await waitUntil(() => staged().some((s) => s >= 256 * 1024), 15_000);
  const stagedBytes = Math.max(0, ...staged());
  sftp.kill();
  await sftp.exited;
  const cleaned = await waitUntil(() => staged().length === 0 && events(daemon, 'upload-cut').length > cutBefore, 5000);
  const after = treeSnapshot(daemon.toolboxDir);
  const visible = ls(daemon.toolboxDir).filter((n) => /tools\.tar|big-tool|small-tool/.test(n));
  out.check('client killed mid SFTP upload of a tar into the toolbox: toolbox unchanged, nothing half-written on PATH, staging cleaned',
    started && cleaned && before === after && visible.length === 0,
    started ? `killed with ${(stagedBytes / 1024).toFixed(0)} KiB of ${(statSync(tar).size / 1048576).toFixed(1)} MiB staged; staging ${cleaned ? 'emptied, upload-cut logged' : `still holds ${staged().length} file(s)`}; toolbox ${before === after ? 'unchanged' : 'CHANGED'}${visible.length ? `, visible: ${visible.join(' ')}` : ''}`
      : `the upload never reached 256 KiB in staging (sftp: ${sftp.stderr().trim() || 'no output'})`);

  // The same upload, not cut: extraction still works after a cut one.
  const full = sftpBatch(daemon, work, [`put ${tar} tools.tar`]);
  const done = await full.exited;
  const installed = existsSync(join(daemon.toolboxDir, 'big-tool')) && existsSync(join(daemon.toolboxDir, 'small-tool'));
  out.check('the same upload afterwards, not cut, installs', done.code === 0 && installed && !existsSync(join(daemon.toolboxDir, 'tools.tar')),
    `sftp exit ${done.code}${full.stderr().trim() ? `: ${full.stderr().trim()}` : ''}; big-tool and small-tool ${installed ? 'installed' : 'MISSING'}`);

  // A plain (non-archive) file is written in place, as OpenSSH's sftp-server does: a figure.
  const plain = join(work.dir, 'plain-tool');
  writeFileSync(plain, randomBytes(bytes));
  const cut = sftpBatch(daemon, work, [`put ${plain} plain-tool`], 8000);
  await waitUntil(() => size(join(daemon.toolboxDir, 'plain-tool')) >= 256 * 1024, 15_000);
  cut.kill();
  await cut.exited;
  await sleep(300);
  const left = size(join(daemon.toolboxDir, 'plain-tool'));
  out.figure('client killed mid SFTP upload of a plain file (not an archive) into the toolbox',
    left ? `a partial file of ${(left / 1024).toFixed(0)} of ${bytes / 1024} KiB stays, as with OpenSSH sftp-server (only archives are staged)` : 'no file left');
  rmSync(join(daemon.toolboxDir, 'plain-tool'), { force: true });
}

async function downloadKilled(daemon, work, out, bytes) {
  const src = join(work.dir, 'download-src');
  const body = randomBytes(bytes);
  writeFileSync(src, body);
  const dest = join(work.dir, 'download-dest');
  await sleep(200);
  const fdsBefore = daemon.fds();
  const sftp = sftpBatch(daemon, work, [`get ${src} ${dest}`], 8000);
  const started = await waitUntil(() => size(dest) >= 256 * 1024, 15_000);
  sftp.kill();
  await sftp.exited;
  const settled = await waitUntil(() => daemon.fds() <= fdsBefore, 5000);
  const alive = await loginWorks(daemon, work);
  out.check('client killed mid SFTP download: no fd left open, source intact, next login works',
    started && settled && alive === true && sha(readFileSync(src)) === sha(body),
    started ? `killed after ${(size(dest) / 1024).toFixed(0)} of ${bytes / 1024} KiB; daemon fds ${fdsBefore} → ${daemon.fds()}; login: ${alive === true ? 'ok' : alive}` : `the download never reached 256 KiB (sftp: ${sftp.stderr().trim() || 'no output'})`);
}

async function ptyProgramKilled(daemon, work, out, detachS) {
  // `ssh -tt HOST PROGRAM`: a pty but no interactive shell, so nothing to detach.
  const argv = ['/usr/bin/sleep', '287'];
  const ssh = spawnClient('ssh', [...sshOptions(work), '-tt', '-p', String(daemon.port), 'root@127.0.0.1', argv.join(' ')], { input: '' });
  const running = await waitUntil(() => processesWith(argv).length > 0, 10_000);
  const pids = processesWith(argv);
  ssh.kill();
  await ssh.exited;
  const t0 = Date.now();
  const gone = await waitUntil(() => allGone(pids), 5000);
  out.check('client killed mid pty program (ssh -tt HOST PROGRAM): the program ends (no orphan, no zombie)', running && gone,
    running ? `pid ${pids.join(',')} ${gone ? `gone ${Date.now() - t0} ms after the kill` : 'STILL THERE after 5 s'}` : `the program never started (ssh: ${ssh.stderr().trim() || 'no output'})`);

  // An interactive shell running a program: the session detaches and waits for --detach-timeout.
  const argv2 = ['/usr/bin/sleep', '286'];
  const detachesBefore = events(daemon, 'detach').length;
  const shell = spawnClient('ssh', [...sshOptions(work), '-tt', '-p', String(daemon.port), 'root@127.0.0.1'], { keepStdin: true });
  shell.child.stdin.write(`${argv2.join(' ')}\r`);
  const started = await waitUntil(() => processesWith(argv2).length > 0, 10_000);
  const pids2 = processesWith(argv2);
  shell.kill();
  await shell.exited;
  const detached = await waitUntil(() => events(daemon, 'detach').length > detachesBefore, 5000);
  const kept = pids2.length > 0 && pids2.every((pid) => existsSync(`/proc/${pid}`));
  const t1 = Date.now();
  const ended = await waitUntil(() => allGone(pids2), detachS * 1000 + 5000);
  out.check(`client killed mid program in an interactive shell: the session detaches, the program is kept, then ended after --detach-timeout ${detachS}s`,
    started && detached && kept && ended,
    started ? `pid ${pids2.join(',')}: ${detached ? 'detached' : 'NOT detached'}, ${kept ? 'kept' : 'killed at once'}, ${ended ? `gone ${Date.now() - t1} ms later` : 'STILL THERE'}` : `the program never started (ssh: ${shell.stderr().trim() || 'no output'})`);
}

async function keysChanged(daemon, work, out) {
  const good = readFileSync(work.authorizedKeys, 'utf8');
  const shellClient = await connect(daemon, work);
  const execClient = await connect(daemon, work);
  const screen = { text: '' };
  const channel = await new Promise((res, rej) => shellClient.shell({ term: 'xterm', cols: 80, rows: 24 }, (err, ch) => (err ? rej(err) : res(ch))));
  channel.on('data', (c) => (screen.text = (screen.text + c).slice(-8192)));
  const steps = [
    ['file deleted', () => rmSync(work.authorizedKeys), false],
    ['random bytes', () => writeFileSync(work.authorizedKeys, randomBytes(4096)), false],
    ['the key line cut in half', () => writeFileSync(work.authorizedKeys, good.slice(0, Math.floor(good.length / 2))), false],
    ['garbage lines, then the key', () => writeFileSync(work.authorizedKeys, `${randomBytes(512).toString('base64')}\nssh-ed25519 AAAA!!!\n\0\0\0\n${good}`), true],
    ['a directory in its place', () => { rmSync(work.authorizedKeys); mkdirSync(work.authorizedKeys); }, false],
    ['restored', () => { rmSync(work.authorizedKeys, { recursive: true }); writeFileSync(work.authorizedKeys, good); }, true],
  ];
  const wrong = [];
  const log = [];
  try {
    for (const [i, [label, apply, accepted]] of steps.entries()) {
      apply();
      const login = await loginWorks(daemon, work);
      const r = await exec(execClient, `echo step-${i}`).catch((err) => ({ stdout: err.message }));
      // Quoted, so the echo of the typed line does not match what the shell prints.
      channel.write(`echo shell-${i}-'ok'\r`);
      const shellOk = await waitUntil(() => screen.text.includes(`shell-${i}-ok`), 5000);
      const ok = (login === true) === accepted && r.stdout === `step-${i}\n` && shellOk;
      log.push(`${label}: ${login === true ? 'accepted' : 'refused'}`);
      if (!ok) wrong.push(`${label}: login ${login === true ? 'accepted' : `refused (${login})`}, expected ${accepted ? 'accepted' : 'refused'}; exec on the open connection ${r.stdout === `step-${i}\n` ? 'ok' : JSON.stringify(r.stdout)}; shell ${shellOk ? 'ok' : 'silent'}`);
    }
  } finally {
    if (!existsSync(work.authorizedKeys) || statSync(work.authorizedKeys).isDirectory()) {
      rmSync(work.authorizedKeys, { recursive: true, force: true });
      writeFileSync(work.authorizedKeys, good);
    }
    shellClient.end();
    execClient.end();
  }
  out.check('authorized_keys deleted, then corrupted, under open sessions: they keep working, new logins follow the file, no crash',
    wrong.length === 0 && daemon.alive(), wrong.length ? wrong.join('; ') : `${log.join(', ')}; an exec and a pty shell kept answering throughout`);
}

async function sigtermMidSession(work, out, bytes) {
  const daemon = await startDaemon(work, ['--log-format', 'json'], { name: 'sigterm' });
  const execArgv = ['/usr/bin/sleep', '288'];
  const ptyArgv = ['/usr/bin/sleep', '289'];
  const stagingDir = join(dirname(daemon.toolboxDir), `.${basename(daemon.toolboxDir)}.staging`);
  const client = await connect(daemon, work);
  const execEnded = new Promise((res) => {
    client.exec(execArgv.join(' '), (err, ch) => {
      if (err) return res(`exec failed: ${err.message}`);
      let code = null;
      ch.on('exit', (c, sig) => (code = c ?? sig));
      ch.on('close', () => res(`exit ${code}`));
      ch.resume();
    });
  });
  client.on('close', () => undefined);
  const ssh = spawnClient('ssh', [...sshOptions(work), '-tt', '-p', String(daemon.port), 'root@127.0.0.1', ptyArgv.join(' ')], { input: '' });
  const tar = makeTar(work, 'term.tar', { 'term-tool': randomBytes(bytes) });
  const sftp = sftpBatch(daemon, work, [`put ${tar} term.tar`], 8000);
  const running = await waitUntil(() => processesWith(execArgv).length && processesWith(ptyArgv).length && ls(stagingDir).some((n) => n.startsWith('upload-')), 15_000);
  const pids = [...processesWith(execArgv), ...processesWith(ptyArgv)];
  const t0 = Date.now();
  daemon.child.kill('SIGTERM');
  const bound = (p, ms) => Promise.race([p, sleep(ms).then(() => 'still running')]);
  const exit = await bound(daemon.exited, 8000);
  const stopMs = Date.now() - t0;
  const execResult = await bound(execEnded, 3000);
  const sshExit = await bound(ssh.exited, 5000);
  const sftpExit = await bound(sftp.exited, 5000);
  const reaped = await waitUntil(() => allGone(pids), 3000);
  const orphans = pids.filter((pid) => existsSync(`/proc/${pid}`));
  const stopped = events(daemon, 'stopped').length === 1;
  out.check('SIGTERM with an exec, a pty program and an SFTP upload running: sessions end, processes gone, daemon exits 0',
    running && exit?.code === 0 && exit.signal === null && typeof sshExit === 'object' && typeof sftpExit === 'object' && orphans.length === 0 && stopped && reaped && !existsSync(join(daemon.toolboxDir, 'term.tar')) && !existsSync(stagingDir),
    `${running ? '' : 'NOT ALL STARTED; '}daemon ${JSON.stringify(exit)} after ${stopMs} ms${stopped ? ' (stopped logged)' : ''}; staging ${existsSync(stagingDir) ? 'LEFT BEHIND' : 'removed'}; exec channel: ${execResult}; ssh -tt: ${JSON.stringify(sshExit)}; sftp: ${JSON.stringify(sftpExit)}; ${reaped ? `its ${pids.length} processes gone ${Date.now() - t0} ms after the signal` : `${orphans.length} of its processes STILL THERE 3 s after it exited`}`);
  ssh.kill();
  sftp.kill();
  client.end();
  await daemon.stop();
}

export async function runFaults({ smoke = false } = {}) {
  const out = result('faults', 'Faults');
  const work = makeWorkdir('bg-faults-');
  const bytes = smoke ? 2 << 20 : 8 << 20;
  const detachS = 2;
  let daemon;
  try {
    daemon = await startDaemon(work, ['--log-format', 'json', '--detach-timeout', `${detachS}s`]);
    // A tool already in the toolbox: a cut upload must leave it exactly as it was.
    const seed = sftpBatch(daemon, work, [`put ${makeTar(work, 'seed.tar', { 'seed-tool': Buffer.from('#!/bin/sh\necho seed\n') })} seed.tar`]);
    await seed.exited;
    const steps = smoke
      ? [() => uploadKilled(daemon, work, out, bytes)]
      : [
          () => uploadKilled(daemon, work, out, bytes),
          () => downloadKilled(daemon, work, out, bytes),
          () => ptyProgramKilled(daemon, work, out, detachS),
          () => keysChanged(daemon, work, out),
        ];
    for (const step of steps) {
      try {
        await step();
      } catch (err) {
        out.check(`fault step ran to completion`, false, err.stack?.slice(0, 400) ?? err.message);
      }
    }
    const alive = await loginWorks(daemon, work);
    out.check('daemon alive and answering after the client faults', daemon.alive() && alive === true, alive === true ? 'fresh login + echo ok' : alive);
    const internal = auditEvents(daemon).filter((e) => /uncaught|unhandled|internal/i.test(`${e.event} ${e.message ?? ''}`));
    out.check('no internal error in the audit log', internal.length === 0, internal.slice(0, 2).map((e) => JSON.stringify(e)).join(' '));
    if (!smoke) {
      await sigtermMidSession(work, out, bytes);
      for (const step of [() => spaceFaults(work, out), () => restartStorm(work, out)]) {
        try {
          await step();
        } catch (err) {
          out.check('fault step ran to completion', false, err.stack?.slice(0, 400) ?? err.message);
        }
      }
    }
  } finally {
    await daemon?.stop();
    work.remove();
  }
  return out.r;
}
