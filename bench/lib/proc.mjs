// Child processes of the bench: every one in its own process group, tracked so that an
// error, a signal or the end of the run kills them all (SIGTERM, then SIGKILL), and every
// run bounded by a timeout.
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

/** Every child still alive, so cleanup can reach its process group. */
const live = new Set();

/** spawn() in a new process group, tracked until it exits. */
export function spawnGroup(file, args, options = {}) {
  const child = spawn(file, args, { ...options, detached: true });
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return child;
}

export function killGroup(child, signal = 'SIGTERM') {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** SIGTERM the group, SIGKILL after graceMs, resolve once the child exited. */
export async function stopChild(child, graceMs = 2000) {
  if (child.pid === undefined) return;
  const exited = child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', resolve));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  // Leftovers of the group (a forked session child) die with it.
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Nothing left.
  }
}

/** Last resort on exit or error: SIGKILL every group we started. Synchronous. */
export function killAllSync() {
  for (const child of live) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  live.clear();
}

export function liveCount() {
  return live.size;
}

/**
 * Runs a program to completion; never rejects on a non-zero exit. `inputFile` becomes
 * stdin as a file descriptor (no copying through this process, so it does not skew
 * the timing); `input` is written through a pipe. `ms` is wall time from spawn to exit.
 */
export function run(file, args, options = {}) {
  const { input, inputFile, timeoutMs = 60_000, env, cwd, maxOutput = 16 << 20, discardStdout = false } = options;
  return new Promise((resolve, reject) => {
    const stdinFd = inputFile ? openSync(inputFile, 'r') : undefined;
    const start = process.hrtime.bigint();
    let child;
    try {
      child = spawnGroup(file, args, {
        stdio: [stdinFd ?? (input === undefined ? 'ignore' : 'pipe'), discardStdout ? 'ignore' : 'pipe', 'pipe'],
        env: env ?? process.env,
        cwd,
      });
    } finally {
      if (stdinFd !== undefined) closeSync(stdinFd);
    }
    const out = [];
    let outLength = 0;
    let stdoutBytes = 0;
    let stdoutLines = 0;
    let err = '';
    child.stdout?.on('data', (chunk) => {
      stdoutBytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) stdoutLines++;
      if (outLength < maxOutput) {
        out.push(chunk);
        outLength += chunk.length;
      }
    });
    child.stderr.on('data', (chunk) => {
      if (err.length < 64 * 1024) err += chunk.toString();
    });
    let timedOut = false;
    let settled = false;
    // Kill the whole group even when the leader is gone: a client such as sftp can exit
    // while its ssh child hangs on, holding our pipes open.
    const killAll = () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Nothing left.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killAll();
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${file}: ${error.message}`, { cause: error }));
    });
    let exitAt;
    let lingerTimer;
    let exitCode;
    let exitSignal;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(lingerTimer);
      const end = exitAt ?? process.hrtime.bigint();
      resolve({
        code: exitCode,
        signal: exitSignal,
        timedOut,
        ms: Number(end - start) / 1e6,
        stdout: Buffer.concat(out),
        stdoutBytes,
        stdoutLines,
        stderr: err,
      });
    };
    child.once('exit', (code, signal) => {
      exitAt = process.hrtime.bigint();
      exitCode = code;
      exitSignal = signal;
      // Output still in flight arrives within moments; a descendant that keeps the pipes
      // open after that is killed with its group.
      lingerTimer = setTimeout(() => {
        if (settled) return;
        err += `\n(${file} exited but a process of its group held its output open; killed)`;
        killAll();
        setTimeout(finish, 200);
      }, 2000);
    });
    child.once('close', () => finish());
    if (child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
  });
}

/** A one-line description of why a run failed, for the report. */
export function failure(result, what) {
  if (result.timedOut) return `${what}: timed out`;
  const lines = result.stderr.trim().split('\n').filter(Boolean);
  // The telling line (e.g. "no matching cipher found. Their offer: …") is rarely the last.
  const firstLine = lines.find((line) => /unable to negotiate|no matching|denied|refused|not found|error|unknown|invalid/i.test(line)) ?? lines.at(-1) ?? '';
  const how = result.signal ? `signal ${result.signal}` : `exit ${result.code}`;
  return `${what}: ${how}${firstLine ? ` (${firstLine.slice(0, 160)})` : ''}`;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
