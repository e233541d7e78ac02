// Test harness shared by the integration suites: starts the bundled breakglassd on a
// free loopback port with a fresh client key, and runs the real OpenSSH client
// against it. Every test talks to 127.0.0.1 only.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
export const REPO = resolve(import.meta.dirname, '../..');
export const DIST = join(REPO, 'dist');

export interface KeyPair {
  privatePath: string;
  publicLine: string;
}

/** ssh-keygen a key of the given type into dir (no passphrase). */
export async function makeKey(dir: string, type: 'ed25519' | 'ecdsa' | 'rsa' = 'ed25519', name = `id_${type}`): Promise<KeyPair> {
  const privatePath = join(dir, name);
  const extra = type === 'rsa' ? ['-b', '2048'] : [];
  await execFileAsync('ssh-keygen', ['-q', '-t', type, ...extra, '-N', '', '-C', `test-${name}`, '-f', privatePath]);
  return { privatePath, publicLine: (await readFile(`${privatePath}.pub`, 'utf8')).trim() };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs a program, collecting output; never rejects on a non-zero exit. */
export function run(
  file: string,
  args: string[],
  options: { input?: string | Buffer; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

export interface TestServer {
  dir: string;
  port: number;
  /** SHA256:… from the readiness line. */
  fingerprint: string;
  key: KeyPair;
  authorizedKeysPath: string;
  toolboxDir: string;
  process: ChildProcess;
  /** Everything breakglassd wrote to stderr so far (the audit log). */
  log(): string;
  /** Arguments for ssh/scp/sftp that reach this server non-interactively (no -p: see portArgs). */
  sshOptions(): string[];
  /** ssh -p PORT … 127.0.0.1 COMMAND */
  ssh(command: string | string[], options?: { input?: string | Buffer; timeoutMs?: number; extraArgs?: string[] }): Promise<RunResult>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra breakglassd flags. */
  args?: string[];
  /** authorized_keys text; defaults to the generated key's line. */
  authorizedKeys?: (key: KeyPair) => string;
  env?: NodeJS.ProcessEnv;
  /** Reuse a directory (for restart tests): host key and keys survive. */
  dir?: string;
}

/**
 * OpenSSH client options for a throw-away test server: no user config, no prompts,
 * host keys remembered in `dir/known_hosts` only.
 */
export function clientOptions(dir: string): string[] {
  return [
    '-F', 'none',
    '-o', 'StrictHostKeyChecking=no',
    '-o', `UserKnownHostsFile=${join(dir, 'known_hosts')}`,
    '-o', 'BatchMode=yes',
    '-o', 'LogLevel=ERROR',
    '-o', 'ConnectTimeout=10',
  ];
}

/** Waits for a regex to match a growing text, or rejects with the text so far. */
export function waitFor(getText: () => string, pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const tick = (): void => {
      const match = getText().match(pattern);
      if (match) return resolvePromise(match);
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${pattern}; got:\n${getText()}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'bg-test-')));
  // A reused dir keeps its key (ssh-keygen would stop and ask before overwriting it).
  const existing = await readFile(join(dir, 'id_ed25519.pub'), 'utf8').catch(() => undefined);
  const key = existing !== undefined ? { privatePath: join(dir, 'id_ed25519'), publicLine: existing.trim() } : await makeKey(dir);
  const authorizedKeysPath = join(dir, 'authorized_keys');
  await writeFile(authorizedKeysPath, options.authorizedKeys ? options.authorizedKeys(key) : `${key.publicLine}\n`);
  const toolboxDir = join(dir, 'toolbox');
  const args = [
    join(DIST, 'breakglassd.js'),
    '--port', '0',
    '--listen', '127.0.0.1',
    '--authorized-keys', authorizedKeysPath,
    '--host-key', join(dir, 'host_key'),
    '--toolbox-dir', toolboxDir,
    '--home', join(dir, 'home'),
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout!.resume();
  const exited = new Promise<void>((resolvePromise) => child.once('exit', () => resolvePromise()));
  const match = await waitFor(() => stderr, /breakglassd: listening on 127\.0\.0\.1:(\d+) \(host key (SHA256:[A-Za-z0-9+/]+)\)/);
  const port = Number(match[1]);
  const fingerprint = match[2]!;

  const sshOptions = (): string[] => [
    ...clientOptions(dir),
    '-i', key.privatePath,
    '-o', 'IdentitiesOnly=yes',
    '-o', 'IdentityAgent=none',
  ];
  return {
    dir, port, fingerprint, key, authorizedKeysPath, toolboxDir, process: child,
    log: () => stderr,
    sshOptions,
    ssh: (command, opts = {}) =>
      run('ssh', [...sshOptions(), '-p', String(port), ...(opts.extraArgs ?? []), 'root@127.0.0.1', ...(Array.isArray(command) ? command : [command])], opts),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
