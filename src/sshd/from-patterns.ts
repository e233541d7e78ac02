// from="pattern-list" matching as sshd does it (sshd(8) AUTHORIZED_KEYS, ssh_config(5)
// PATTERNS): `*` and `?` wildcards, `!` negation, and CIDR entries. A negated match
// denies even when another pattern matches. We never resolve names (like sshd with
// UseDNS no), so patterns are matched against the client's address only.
import { addressInCidr } from '../common/index.js';

/** Shell-style `*` / `?` glob over the whole string, case-insensitive. */
export function globMatch(text: string, pattern: string): boolean {
  const t = text.toLowerCase();
  const p = pattern.toLowerCase();
  // Iterative wildcard match with backtracking to the last `*`.
  let ti = 0;
  let pi = 0;
  let starP = -1;
  let starT = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === t[ti])) {
      ti++;
      pi++;
    } else if (pi < p.length && p[pi] === '*') {
      starP = pi++;
      starT = ti;
    } else if (starP !== -1) {
      pi = starP + 1;
      ti = ++starT;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

/** `::ffff:10.0.0.1` → `10.0.0.1`, so IPv4 patterns match v4 clients on a dual-stack socket. */
export function normalizeClientAddress(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}

function matchOne(address: string, pattern: string): boolean {
  return pattern.includes('/') ? addressInCidr(address, pattern) : globMatch(address, pattern);
}

/** True when the client address is allowed by the from= pattern list. */
export function fromAllows(patterns: readonly string[], clientAddress: string): boolean {
  const address = normalizeClientAddress(clientAddress);
  let allowed = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (!matchOne(address, negated ? pattern.slice(1) : pattern)) continue;
    if (negated) return false;
    allowed = true;
  }
  return allowed;
}
