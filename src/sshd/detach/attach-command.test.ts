import { describe, expect, it } from 'vitest';
import { isResumeToken, newResumeToken } from '../../common/resume-token.js';
import { chooseSession, parseAttachCommand } from './attach-command.js';
import type { AttachCandidate } from './attach-command.js';

describe('parseAttachCommand', () => {
  it.each([
    ['attach', { id: undefined }],
    ['  attach  ', { id: undefined }],
    ['attach 3', { id: '3' }],
    ['attach\t12 ', { id: '12' }],
    ['attach 1 2', undefined],
    ['attacher', undefined],
    ['echo attach', undefined],
    ['', undefined],
  ])('%j → %j', (line, expected) => {
    expect(parseAttachCommand(line)).toEqual(expected);
  });
});

const TOKEN_2 = 'two-two-two-two-two-two-two';
const TOKEN_3 = 'three-three-three-three-three';
const TOKEN_4 = 'four-four-four-four-four-four';

describe('isResumeToken', () => {
  it('takes base64url of 16 or more bytes and nothing else', () => {
    expect(isResumeToken(newResumeToken())).toBe(true);
    expect(newResumeToken()).not.toBe(newResumeToken());
    expect(isResumeToken(TOKEN_2)).toBe(true);
    expect(isResumeToken('short')).toBe(false);
    expect(isResumeToken('has space has space has space')).toBe(false);
    expect(isResumeToken('x'.repeat(129))).toBe(false);
  });
});

describe('chooseSession', () => {
  const list: AttachCandidate[] = [
    { id: '1', fingerprint: 'A', state: 'detached', detachedAt: 100, resumeToken: undefined },
    { id: '2', fingerprint: 'A', state: 'detached', detachedAt: 300, resumeToken: TOKEN_2 },
    { id: '3', fingerprint: 'A', state: 'attached', detachedAt: undefined, resumeToken: TOKEN_3 },
    { id: '4', fingerprint: 'B', state: 'detached', detachedAt: 400, resumeToken: TOKEN_4 },
  ];

  it('without an ID picks the key’s most recently detached session', () => {
    expect(chooseSession(list, 'A', undefined)).toEqual({ ok: true, id: '2', takeOver: false });
    expect(chooseSession(list, 'B', undefined)).toEqual({ ok: true, id: '4', takeOver: false });
  });

  it('with an ID takes over the key’s own attached session', () => {
    expect(chooseSession(list, 'A', '3')).toEqual({ ok: true, id: '3', takeOver: true });
    expect(chooseSession(list, 'A', '1')).toEqual({ ok: true, id: '1', takeOver: false });
  });

  it('refuses another key’s session, by ID and by default', () => {
    const r = chooseSession(list, 'B', '1');
    expect(r).toMatchObject({ ok: false, reason: 'opened by another key' });
    expect(r.ok ? '' : r.message).toContain('only the key that opened a session may attach to it');
    expect(chooseSession(list, 'C', undefined)).toMatchObject({ ok: false, reason: 'no detached session' });
  });

  it('names unknown IDs and points to sessions', () => {
    const r = chooseSession(list, 'A', '9');
    expect(r.ok ? '' : r.message).toMatch(/no session 9; run `ssh HOST sessions`/);
  });

  it('says when the key’s only sessions are still attached', () => {
    const r = chooseSession([{ id: '7', fingerprint: 'A', state: 'attached', detachedAt: undefined, resumeToken: undefined }], 'A', undefined);
    expect(r.ok ? '' : r.message).toContain('attached elsewhere: 7');
  });

  it('with a resume token takes the session that client holds, attached or not', () => {
    expect(chooseSession(list, 'A', undefined, TOKEN_3)).toEqual({ ok: true, id: '3', takeOver: true });
    expect(chooseSession(list, 'A', undefined, TOKEN_2)).toEqual({ ok: true, id: '2', takeOver: false });
  });

  it('with a resume token never falls back to another session, nor to another key’s', () => {
    const gone = chooseSession(list, 'A', undefined, 'unknown-unknown-unknown-token');
    expect(gone).toMatchObject({ ok: false, code: 1, reason: 'nothing to resume' });
    expect(gone.ok ? '' : gone.message).toContain('has ended, expired or was attached from elsewhere');
    expect(chooseSession(list, 'A', undefined, TOKEN_4)).toMatchObject({ ok: false, reason: 'nothing to resume' });
  });

  it('an explicit ID wins over the token', () => {
    expect(chooseSession(list, 'A', '1', TOKEN_3)).toEqual({ ok: true, id: '1', takeOver: false });
  });
});
