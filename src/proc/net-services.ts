// A small built-in service table (names as in /etc/services, IANA registry) so
// `netstat`/`ss` without -n can name well-known ports on a device that has no
// /etc/services and must not do DNS.
const COMMON: Record<number, string> = {
  20: 'ftp-data',
  21: 'ftp',
  22: 'ssh',
  23: 'telnet',
  25: 'smtp',
  53: 'domain',
  80: 'http',
  110: 'pop3',
  123: 'ntp',
  143: 'imap2',
  161: 'snmp',
  179: 'bgp',
  389: 'ldap',
  443: 'https',
  465: 'submissions',
  587: 'submission',
  636: 'ldaps',
  853: 'domain-s',
  993: 'imaps',
  995: 'pop3s',
  1883: 'mqtt',
  3306: 'mysql',
  5353: 'mdns',
  5432: 'postgresql',
  8080: 'http-alt',
  8883: 'secure-mqtt',
};

const TCP_ONLY: Record<number, string> = { 514: 'shell', 873: 'rsync', 2049: 'nfs', 6379: 'redis' };
const UDP_ONLY: Record<number, string> = { 67: 'bootps', 68: 'bootpc', 69: 'tftp', 514: 'syslog', 546: 'dhcpv6-client', 547: 'dhcpv6-server', 1900: 'ssdp' };

/** The service name for a port, or undefined when the table does not know it. */
export function serviceName(port: number, transport: 'tcp' | 'udp' | 'raw'): string | undefined {
  if (transport === 'tcp') return TCP_ONLY[port] ?? COMMON[port];
  if (transport === 'udp') return UDP_ONLY[port] ?? COMMON[port];
  return undefined;
}

/** `*` for port 0 (unbound / any), otherwise the name (unless numeric) or the number. */
export function formatPort(port: number, transport: 'tcp' | 'udp' | 'raw', numeric: boolean): string {
  if (port === 0) return '*';
  if (numeric) return String(port);
  return serviceName(port, transport) ?? String(port);
}
