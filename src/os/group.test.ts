// spawnGroup against real processes: the whole group gets the signal, SIGKILL only after
// the grace and only when something is still there.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signalThenKill, spawnGroup } from './group.js';
import type { ProcessGroup } from './group.js';

/** Running, not gone or a zombie (a reparented child may wait for a reaper that never comes). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Resolves with the leader's exit once its output closed. */
function closed(group: ProcessGroup): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => group.child.once('close', (code, signal) => resolve({ code, signal })));
}

/** First line of stdout (the script prints its pids when it is ready). */
function firstLine(group: ProcessGroup): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    group.child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.split('\n')[0]!);
    });
  });
}

describe('spawnGroup', () => {
  it('a group whose members ignore SIGTERM is SIGKILLed after the grace, children too', async () => {
    const abort = new AbortController();
    let kills = 0;
    // The leader and a background child both ignore TERM.
    const group = spawnGroup('sh', ['-c', "trap '' TERM; sleep 1000 & echo $$ $!; wait"], {
      stdio: ['ignore', 'pipe', 'ignore'],
      signal: abort.signal,
      killGraceMs: 300,
      onKill: () => kills++,
    });
    const [leader, child] = (await firstLine(group)).split(' ').map(Number);
    const ended = closed(group);
    abort.abort();
    const result = await ended;
    expect(result.signal).toBe('SIGKILL');
    expect(kills).toBe(1);
    expect(alive(leader!)).toBe(false);
    // The background sleep was in the same group: it got the SIGKILL as well.
    await expect.poll(() => alive(child!)).toBe(false);
  });

  it('a group that exits on SIGTERM is not SIGKILLed', async () => {
    const abort = new AbortController();
    let kills = 0;
    const group = spawnGroup('sh', ['-c', 'echo ready; exec sleep 1000'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      signal: abort.signal,
      killGraceMs: 200,
      onKill: () => kills++,
    });
    await firstLine(group);
    const ended = closed(group);
    abort.abort();
    expect((await ended).signal).toBe('SIGTERM');
    // Past the grace period: the cancelled SIGKILL never comes.
    await new Promise((r) => setTimeout(r, 400));
    expect(kills).toBe(0);
  });

  it('stop() with another signal sends that one first; nothing once the group ended', async () => {
    const group = spawnGroup('sh', ['-c', 'echo ready; exec sleep 1000'], { stdio: ['ignore', 'pipe', 'ignore'], killGraceMs: 5000 });
    await firstLine(group);
    const ended = closed(group);
    group.stop('SIGHUP');
    expect((await ended).signal).toBe('SIGHUP');
    expect(() => group.stop()).not.toThrow();
  });
});

describe('signalThenKill', () => {
  /** A plain child (not a group leader, as the client's ssh) that prints "ready" first. */
  function child(script: string): { sent: NodeJS.Signals[]; send: (s: NodeJS.Signals) => void; ready: Promise<void>; exit: Promise<NodeJS.Signals | null> } {
    const proc = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    const sent: NodeJS.Signals[] = [];
    return {
      sent,
      send: (s) => {
        sent.push(s);
        proc.kill(s);
      },
      ready: new Promise((resolve) => proc.stdout.once('data', () => resolve())),
      exit: new Promise((resolve) => proc.once('exit', (_code, signal) => resolve(signal))),
    };
  }

  it('sends the signals in order, then SIGKILL after the grace to what is still there', async () => {
    const target = child("trap '' HUP CONT; echo ready; while :; do sleep 1; done");
    await target.ready;
    let kills = 0;
    const first = await signalThenKill(target.send, ['SIGHUP', 'SIGCONT'], target.exit, 300, () => kills++);
    expect(first).toBe('killed');
    expect(kills).toBe(1);
    expect(target.sent).toEqual(['SIGHUP', 'SIGCONT', 'SIGKILL']);
    expect(await target.exit).toBe('SIGKILL');
  });

  it('no SIGKILL for a target that ended within the grace', async () => {
    const target = child('echo ready; exec sleep 1000');
    await target.ready;
    const first = await signalThenKill(target.send, ['SIGTERM'], target.exit, 5000);
    expect(first).toBe('ended');
    expect(target.sent).toEqual(['SIGTERM']);
    expect(await target.exit).toBe('SIGTERM');
  });
});
