// sessions [--json]: the server's interactive sessions, attached or detached, as
// `ssh -t HOST attach ID` needs them (DESIGN.md "Detach and reattach").
import type { Builtin, BuiltinContext, SessionListing } from '../types.js';
import { fail } from './io.js';
import { write } from '../../os/index.js';
import { parseOrExit } from './system-util.js';

const USAGE = `Usage: sessions [--json]
List the interactive sessions of this server. A detached session (its connection
dropped) keeps running and waits for the key that opened it: ssh -t HOST attach ID.
  ID       session number (* marks the one you are in)
  KEY      comment (or fingerprint) of the key that opened it
  STARTED  when it started (local time)
  STATE    attached or detached
  IDLE     time since the last input or output
  COMMAND  the foreground job, or sh at the prompt
      --json   [{"id", "key", "comment", "started", "state", "idle_seconds", "command", "current", "yours"}]
`;

const two = (n: number): string => String(n).padStart(2, '0');

/** `45s`, `12m`, `3h05m`, `2d04h`: idle time as tmux and w show it, short. */
export function formatIdle(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${two(m % 60)}m`;
  return `${Math.floor(h / 24)}d${two(h % 24)}h`;
}

function formatStarted(ms: number, now: Date): string {
  const d = new Date(ms);
  const time = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  if (d.toDateString() === now.toDateString()) return time;
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${time}`;
}

/** The table `sessions` prints, header first. */
export function formatSessions(list: readonly SessionListing[], now: Date): string[] {
  const rows = list.map((s) => [`${s.id}${s.current ? '*' : ''}`, s.comment || s.key, formatStarted(s.started, now), s.state, formatIdle(s.idleMs), s.command]);
  const header = ['ID', 'KEY', 'STARTED', 'STATE', 'IDLE', 'COMMAND'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

async function runSessions(args: string[], ctx: BuiltinContext): Promise<number> {
  const opts = await parseOrExit('sessions', USAGE, args, { flags: '', long: { json: false } }, ctx);
  if (typeof opts === 'number') return opts;
  if (opts.operands.length > 0) return fail(ctx.stderr, 'sessions', `extra operand '${opts.operands[0]}'`, 2);
  const list = ctx.services.sessions?.() ?? [];
  if (opts.has('json')) {
    const json = list.map((s) => ({
      id: s.id,
      key: s.key,
      comment: s.comment,
      started: new Date(s.started).toISOString(),
      state: s.state,
      idle_seconds: Math.floor(s.idleMs / 1000),
      command: s.command,
      current: s.current,
      yours: s.yours,
    }));
    await write(ctx.stdout, `${JSON.stringify(json)}\n`);
    return 0;
  }
  if (list.length === 0) {
    await write(ctx.stdout, 'no interactive sessions (ssh -t HOST opens one)\n');
    return 0;
  }
  for (const line of formatSessions(list, new Date())) await write(ctx.stdout, `${line}\n`);
  return 0;
}

export const sessions: Builtin = { name: 'sessions', summary: 'interactive sessions, attached or detached (--json)', usage: USAGE, run: runSessions };
