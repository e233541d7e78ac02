// The client's claim on the interactive session it holds: a random secret it sends as
// the env variable BREAKGLASS_RESUME (ssh SendEnv) with the shell and, after its link
// dropped, with `attach`; the server reattaches the session holding the same secret and
// key (src/sshd/detach/attach-command.ts). It never reaches the shell's environment.
import { randomBytes } from 'node:crypto';

export const RESUME_ENV = 'BREAKGLASS_RESUME';

/** 18 random bytes, base64url: 24 characters. */
export function newResumeToken(): string {
  return randomBytes(18).toString('base64url');
}

/** A token as newResumeToken makes them (16+ bytes of base64url); anything else is refused. */
export function isResumeToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{22,128}$/.test(value);
}
