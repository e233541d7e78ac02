// An interactive SSH session for tests: node's ssh2 client asks for a pty and a shell,
// and everything the server sends is rendered by @xterm/headless, so tests assert on
// the screen a user would see.
import { readFileSync } from 'node:fs';
import * as headless from '@xterm/headless';
import type { Terminal } from '@xterm/headless';
import { Client } from 'ssh2';
import type { ClientChannel } from 'ssh2';
import type { TestServer } from '../helpers/server.js';

export const XTerm: typeof Terminal =
  (headless as unknown as { Terminal?: typeof Terminal }).Terminal ??
  (headless as unknown as { default: { Terminal: typeof Terminal } }).default.Terminal;

export interface PtySession {
  term: Terminal;
  /** Sends keys (bytes) to the shell. */
  send(keys: string): void;
  /** The visible screen, rows joined by \n, trailing blanks of each row and of the screen trimmed. */
  screen(): Promise<string>;
  /** The row the cursor is on, and the column. */
  cursor(): Promise<{ x: number; y: number; line: string }>;
  /** Waits until the screen matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  resize(cols: number, rows: number): Promise<void>;
  /** Resolves with the exit status the server sent. */
  exit: Promise<{ code: number | null; signal: string | undefined }>;
  close(): Promise<void>;
}

/**
 * Opens a session: a shell with a pty by default; `exec` runs a command instead, with a
 * pty unless `pty: false`.
 */
export async function openPty(server: TestServer, size = { cols: 80, rows: 24 }, options: { exec?: string; pty?: boolean } = {}): Promise<PtySession & { raw(): Buffer; signal(name: string): void }> {
  const term = new XTerm({ cols: size.cols, rows: size.rows, allowProposedApi: true, scrollback: 1000, reflowCursorLine: true });
  const client = new Client();
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('error', reject);
    client.connect({
      host: '127.0.0.1',
      port: server.port,
      username: 'root',
      privateKey: readFileSync(server.key.privatePath),
      hostVerifier: () => true,
      readyTimeout: 10_000,
    });
  });
  const ptyRequest = { term: 'xterm-256color', cols: size.cols, rows: size.rows };
  const stream = await new Promise<ClientChannel>((resolve, reject) => {
    const done = (err: Error | undefined, s: ClientChannel): void => (err ? reject(err) : resolve(s));
    if (options.exec !== undefined) client.exec(options.exec, options.pty === false ? {} : { pty: ptyRequest }, done);
    else client.shell(ptyRequest, done);
  });
  const rawChunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => rawChunks.push(chunk));
  stream.stderr.on('data', (chunk: Buffer) => rawChunks.push(chunk));
  let exitInfo = { code: null as number | null, signal: undefined as string | undefined };
  stream.on('exit', (code: number | null, signal?: string) => {
    exitInfo = { code, signal };
  });
  const exit = new Promise<{ code: number | null; signal: string | undefined }>((resolve) => stream.on('close', () => resolve(exitInfo)));
  stream.on('data', (chunk: Buffer) => term.write(chunk));
  const settled = (): Promise<void> => new Promise((r) => term.write('', () => r()));
  const screen = async (): Promise<string> => {
    await settled();
    const buf = term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < term.rows; i++) lines.push((buf.getLine(buf.baseY + i)?.translateToString(true) ?? '').trimEnd());
    return lines.join('\n').replace(/\n+$/, '');
  };
  return {
    term,
    send: (keys) => {
      stream.write(keys);
    },
    screen,
    cursor: async () => {
      await settled();
      const buf = term.buffer.active;
      return { x: buf.cursorX, y: buf.cursorY, line: buf.getLine(buf.baseY + buf.cursorY)?.translateToString(true) ?? '' };
    },
    waitFor: async (pattern, timeoutMs = 5000) => {
      const started = Date.now();
      for (;;) {
        const text = await screen();
        if (pattern.test(text)) return text;
        if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${pattern}; screen:\n${text}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    resize: async (cols, rows) => {
      await settled();
      term.resize(cols, rows);
      stream.setWindow(rows, cols, 0, 0);
    },
    exit,
    raw: () => Buffer.concat(rawChunks),
    signal: (name) => {
      stream.signal(name);
    },
    close: async () => {
      stream.end();
      client.end();
      await Promise.race([exit, new Promise((r) => setTimeout(r, 1000))]);
      term.dispose();
    },
  };
}
