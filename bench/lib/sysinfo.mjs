// What the figures were measured on: the machine, the date and every program's version.
import { readFileSync, statSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { run } from './proc.mjs';

async function firstLine(file, args) {
  try {
    const result = await run(file, args, { timeoutMs: 5000 });
    return `${result.stdout}${result.stderr}`.trim().split('\n')[0] ?? '';
  } catch {
    return 'not installed';
  }
}

function kernelVersion() {
  try {
    return readFileSync('/proc/version', 'utf8').trim().split(' ').slice(0, 3).join(' ');
  } catch {
    return release();
  }
}

/** The 1, 5 and 15 minute load averages: how busy the machine was (other work included). */
export function loadAverage() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}

export async function machineInfo(bundle) {
  let bundleBytes;
  try {
    bundleBytes = statSync(bundle).size;
  } catch {
    bundleBytes = undefined;
  }
  return {
    date: new Date().toISOString(),
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: totalmem() / 2 ** 30,
    kernel: kernelVersion(),
    node: process.version,
    openssh: await firstLine('/usr/sbin/sshd', ['-V']),
    sshClient: await firstLine('ssh', ['-V']),
    dropbear: await firstLine('/usr/sbin/dropbear', ['-V']),
    procps: await firstLine('ps', ['--version']),
    iproute2: await firstLine('ss', ['--version']),
    netTools: await firstLine('netstat', ['--version']),
    tar: await firstLine('tar', ['--version']),
    bundleBytes,
  };
}
