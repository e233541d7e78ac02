// A command-line SSH client that wants a terminal on its own stdin (dbclient -t, plink -t):
// util-linux script(1) gives it one. The session is driven line by line, each line typed
// only after the prompt it answers has been drawn: `echo pty-$TERM-ok`, then `exit 4`.
import { spawn } from 'node:child_process';
import { expect, vi } from 'vitest';

export async function echoOverPty(command: string[], env: NodeJS.ProcessEnv): Promise<{ screen: string; code: number | null }> {
  const child = spawn('script', ['-qefc', command.join(' '), '/dev/null'], { env: { ...env, TERM: 'xterm' } });
  let screen = '';
  child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.on('close', resolveExit));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  try {
    await vi.waitFor(() => expect(screen).toContain('# '), { timeout: 10_000 });
    child.stdin.write('echo pty-$TERM-ok\r');
    await vi.waitFor(() => expect(screen).toMatch(/\r\npty-xterm-ok\r\n/), { timeout: 10_000 });
    child.stdin.write('exit 4\r');
    return { screen, code: await exited };
  } finally {
    clearTimeout(timer);
    child.kill('SIGKILL');
  }
}
