// HTTP basic auth (RFC 7617) for user `gokrazy`, and the XSRF token that POST /restart
// and /stop must echo from the `gokrazy_xsrf` cookie (gokrazy's double-submit scheme,
// here with an HMAC so only tokens this init issued are accepted).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const AUTH_USER = 'gokrazy';
export const XSRF_COOKIE = 'gokrazy_xsrf';

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time comparison: hashing first makes both sides the same length. */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

/** Parses `Basic base64(user:password)`; undefined when absent or malformed. */
export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  if (!header) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function checkBasicAuth(header: string | undefined, password: string): boolean {
  const given = parseBasicAuth(header);
  if (!given) return false;
  // Evaluate both comparisons so timing does not reveal which one failed.
  const userOk = safeEqual(given.user, AUTH_USER);
  const passwordOk = safeEqual(given.password, password);
  return userOk && passwordOk;
}

export class XsrfTokens {
  private readonly secret = randomBytes(32);

  issue(): string {
    const nonce = randomBytes(12).toString('hex');
    return `${nonce}.${this.sign(nonce)}`;
  }

  private sign(nonce: string): string {
    return createHmac('sha256', this.secret).update(nonce).digest('hex').slice(0, 32);
  }

  /** True when the token was issued by this process. */
  valid(token: string | undefined): boolean {
    if (!token) return false;
    const [nonce, mac, extra] = token.split('.');
    if (!nonce || !mac || extra !== undefined) return false;
    return safeEqual(mac, this.sign(nonce));
  }

  /** The form token must equal the cookie and be one of ours. */
  check(cookieToken: string | undefined, formToken: string | undefined): boolean {
    if (!cookieToken || !formToken) return false;
    return safeEqual(cookieToken, formToken) && this.valid(cookieToken);
  }
}

/** Reads one cookie from a Cookie header (RFC 6265 §5.4). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
