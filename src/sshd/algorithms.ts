// The transport algorithms breakglassd offers (DESIGN.md "SSH behaviour"): modern only,
// so that ssh-audit reports no failure. ssh2 appends `kex-strict-s-v00@openssh.com`
// itself, which turns on OpenSSH's strict key exchange (the Terrapin fix).
// No SHA-1 anywhere, no CBC, no NIST-curve ECDH (ecdh-sha2-nistp*), no DH group exchange.
import type { Algorithms } from 'ssh2';

export const SERVER_ALGORITHMS = {
  kex: [
    'curve25519-sha256', // RFC 8731
    'curve25519-sha256@libssh.org',
    // Large fixed DH groups with SHA-512 (RFC 8268) for clients without curve25519.
    'diffie-hellman-group16-sha512',
    'diffie-hellman-group18-sha512',
  ],
  // Only the types a host key can be; the loaded key picks one (we generate ed25519).
  serverHostKey: ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256'],
  // No chacha20-poly1305: the client's order wins (RFC 4253 §7.1) and OpenSSH lists it
  // first, but without ssh2's native add-on (npm runs no install scripts) its Poly1305
  // is wasm and the transfer runs ~35% slower than AES-GCM, which OpenSSL does natively
  // (BENCHMARKS.md). Every client with chacha20 also has AES-GCM or AES-CTR.
  cipher: [
    'aes128-gcm@openssh.com',
    'aes256-gcm@openssh.com',
    'aes128-ctr',
    'aes192-ctr',
    'aes256-ctr',
  ],
  // Encrypt-then-MAC first (ignored with AEAD ciphers).
  hmac: ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512'],
  // Compression only after authentication (zlib@openssh.com), never pre-auth zlib.
  compress: ['none', 'zlib@openssh.com'],
} satisfies Algorithms;

/**
 * The ciphers breakglassd steers a client to when it has them (ssh2 patch "steerCiphers",
 * scripts/ssh2-patches.mjs): AES-GCM is one OpenSSL call per packet where AES-CTR needs a
 * second for the HMAC: OpenSSH's default download went from 218 to 284 MB/s (BENCHMARKS.md
 * analysis 17).
 * OpenSSH's client lists aes128-ctr first of the ciphers we offer, so without steering it
 * would never pick GCM by itself. Clients without GCM still get the whole list above.
 */
export const STEERED_CIPHERS = ['aes128-gcm@openssh.com', 'aes256-gcm@openssh.com'];
