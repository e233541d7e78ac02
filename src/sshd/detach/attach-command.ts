// `ssh -t HOST attach [ID]`: the exec request the server recognises before the shell
// sees it, and which session it picks. Pure functions: the registry supplies the list.

/** `attach` or `attach ID`; anything else is an ordinary command line. */
export function parseAttachCommand(line: string): { id: string | undefined } | undefined {
  const m = /^\s*attach(?:\s+(\S+))?\s*$/.exec(line);
  if (!m) return undefined;
  return { id: m[1] };
}

export interface AttachCandidate {
  id: string;
  fingerprint: string;
  state: 'attached' | 'detached';
  /** ms since the epoch; undefined while attached. */
  detachedAt: number | undefined;
  /** The secret of the client that holds the session (src/common/resume-token.ts), if any. */
  resumeToken: string | undefined;
}

export type AttachChoice =
  | { ok: true; id: string; takeOver: boolean }
  | { ok: false; code: number; reason: string; message: string };

const LIST_HINT = 'run `ssh HOST sessions` to list them, or `ssh -t HOST` for a new shell';

/**
 * With a resume token (the breakglass client reconnecting after its link dropped): the
 * session of this key that the same client holds, taken over if the server has not yet
 * noticed the old connection die. Attaching from elsewhere replaces the token, so a
 * client never takes a session back from the engineer who moved it.
 * With an ID: that session, if this key opened it (taking it over when it is still
 * attached elsewhere, e.g. to a connection that died without the server noticing).
 * Without: the most recently detached session of this key; never one that is attached.
 */
export function chooseSession(candidates: readonly AttachCandidate[], fingerprint: string, requested: string | undefined, resumeToken?: string): AttachChoice {
  if (requested === undefined && resumeToken !== undefined) {
    const held = candidates.find((c) => c.fingerprint === fingerprint && c.resumeToken === resumeToken);
    if (!held) {
      return { ok: false, code: 1, reason: 'nothing to resume', message: 'attach: the session this client held has ended, expired or was attached from elsewhere' };
    }
    return { ok: true, id: held.id, takeOver: held.state === 'attached' };
  }
  if (requested !== undefined) {
    const wanted = candidates.find((c) => c.id === requested);
    if (!wanted) return { ok: false, code: 1, reason: 'no such session', message: `attach: there is no session ${requested}; ${LIST_HINT}` };
    if (wanted.fingerprint !== fingerprint) {
      return {
        ok: false,
        code: 1,
        reason: 'opened by another key',
        message: `attach: session ${requested} was opened with another key; only the key that opened a session may attach to it`,
      };
    }
    return { ok: true, id: wanted.id, takeOver: wanted.state === 'attached' };
  }
  const mine = candidates.filter((c) => c.fingerprint === fingerprint && c.state === 'detached');
  if (mine.length === 0) {
    const attached = candidates.filter((c) => c.fingerprint === fingerprint).map((c) => c.id);
    const hint = attached.length > 0 ? `; yours still attached elsewhere: ${attached.join(', ')} (take one over with attach ID)` : `; ${LIST_HINT}`;
    return { ok: false, code: 1, reason: 'no detached session', message: `attach: no detached session opened with your key${hint}` };
  }
  const newest = mine.reduce((a, b) => ((b.detachedAt ?? 0) > (a.detachedAt ?? 0) ? b : a));
  return { ok: true, id: newest.id, takeOver: false };
}
