// Address decoding for /proc/net text. The kernel prints socket addresses as the raw
// 32-bit words of the in-memory address with %08X (net/ipv4/tcp_ipv4.c
// get_tcp4_sock(), net/ipv6/tcp_ipv6.c get_tcp6_sock()), so on little-endian hosts
// (x86, arm64, riscv — every gokrazy target) each word's bytes appear reversed.
// Ports are printed in host order (%04X), so they read as plain hex.

/** `0100007F` → `127.0.0.1` (little-endian word). */
export function hexToIPv4(hex: string, littleEndian = true): string {
  const n = parseInt(hex, 16) >>> 0;
  const b0 = n >>> 24;
  const b1 = (n >>> 16) & 0xff;
  const b2 = (n >>> 8) & 0xff;
  const b3 = n & 0xff;
  return littleEndian ? `${b3}.${b2}.${b1}.${b0}` : `${b0}.${b1}.${b2}.${b3}`;
}

/**
 * 32 hex digits as /proc/net/tcp6 prints them (four host-order words) → compressed
 * IPv6 text (RFC 5952), with IPv4-mapped addresses as `::ffff:1.2.3.4`.
 */
export function hexToIPv6Words(hex: string, littleEndian = true): string {
  const groups: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    // Bytes in memory order: reverse the printed word on little-endian hosts.
    const bytes = littleEndian
      ? [word.slice(6, 8), word.slice(4, 6), word.slice(2, 4), word.slice(0, 2)]
      : [word.slice(0, 2), word.slice(2, 4), word.slice(4, 6), word.slice(6, 8)];
    groups.push(parseInt(bytes[0]! + bytes[1]!, 16), parseInt(bytes[2]! + bytes[3]!, 16));
  }
  return formatIPv6(groups);
}

/**
 * 32 hex digits in network byte order, as /proc/net/if_inet6 and ipv6_route print
 * them (%pi6 / %32phN): `fe800000000000000000000000000001` → `fe80::1`.
 */
export function hexToIPv6(hex: string): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(parseInt(hex.slice(i * 4, i * 4 + 4), 16));
  return formatIPv6(groups);
}

/** Eight 16-bit groups → RFC 5952 text: lowercase, longest zero run (≥ 2) as `::`. */
export function formatIPv6(groups: readonly number[]): string {
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const g6 = groups[6]!;
    const g7 = groups[7]!;
    return `::ffff:${g6 >>> 8}.${g6 & 0xff}.${g7 >>> 8}.${g7 & 0xff}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/** Netmask in dotted form → prefix length (`255.255.255.0` → 24). */
export function ipv4PrefixLength(mask: string): number {
  let bits = 0;
  for (const part of mask.split('.')) {
    let n = Number(part);
    while (n & 0x80) {
      bits++;
      n = (n << 1) & 0xff;
    }
  }
  return bits;
}

/** `ADDR:PORT` as net-tools prints it (IPv6 unbracketed: `:::22`). */
export function joinHostPort(address: string, port: string): string {
  return `${address}:${port}`;
}
