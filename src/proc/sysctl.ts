// sysctl names ↔ /proc/sys paths (sysctl(8)): `net.ipv4.ip_forward` is
// net/ipv4/ip_forward. As in procps, the first separator decides: with dots, a '/' inside
// the name stands for a dot in a component (VLAN eth0.100 is `net.ipv4.conf.eth0/100.…`);
// with slashes the name is the path itself.

export function sysctlPath(name: string): string {
  const trimmed = name.replace(/^\/+/, '');
  const firstDot = trimmed.indexOf('.');
  const firstSlash = trimmed.indexOf('/');
  const dotted = firstDot !== -1 && (firstSlash === -1 || firstDot < firstSlash);
  const path = dotted ? trimmed.replace(/[./]/g, (c) => (c === '.' ? '/' : '.')) : trimmed;
  if (path === '' || path.split('/').some((part) => part === '..' || part === '.')) {
    throw new Error(`sysctl: invalid name ${JSON.stringify(name)}`);
  }
  return path;
}

/** Path relative to /proc/sys → dotted name (a dot inside a component becomes '/'). */
export function sysctlName(path: string): string {
  return path
    .split('/')
    .map((part) => part.replace(/\./g, '/'))
    .join('.');
}

/** `name = value` assignments of a sysctl.conf file (comments `#`/`;`, blanks skipped). */
export function parseSysctlConf(text: string): Array<{ name: string; value: string; line: number; ignoreErrors: boolean }> {
  const out: Array<{ name: string; value: string; line: number; ignoreErrors: boolean }> = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const eq = line.indexOf('=');
    if (eq === -1) throw new Error(`line ${i + 1}: expected "name = value"`);
    let name = line.slice(0, eq).trim();
    // A leading '-' means: ignore errors for this key (sysctl.d(5)).
    const ignoreErrors = name.startsWith('-');
    if (ignoreErrors) name = name.slice(1);
    out.push({ name, value: line.slice(eq + 1).trim(), line: i + 1, ignoreErrors });
  });
  return out;
}
